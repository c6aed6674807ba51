/*
 * Bringing the network up in a monitor: with a NIC (netdev 0) and an
 * ip= boot argument, an interface on the NIC, its receive handler and
 * millisecond tick thread, the connection manager, the RPC endpoint and
 * its shared connections by address (peer_call, tessera/cluster/peer.h).
 * Every endpoint service the image links (EP_SERVICE, netboot.h)
 * registers its handlers before the endpoint is announced ready, so a
 * caller that sees net_rpc_ep() non-NULL finds them all served.
 *
 * Kernel only (net/plat/plat_kernel.c is the platform). The state here is
 * set once by the boot thread before any thread that reads it starts.
 */
#include <tessera/bootargs.h>
#include <tessera/cluster/netboot.h>
#include <tessera/cluster/peer.h>
#include <tessera/errno.h>
#include <tessera/fmt.h>
#include <tessera/net/cm.h>
#include <tessera/net/rpc.h>
#include <tessera/net/stack.h>
#include <tessera/netdev.h>
#include <tessera/printk.h>
#include <tessera/role.h>
#include <tessera/string.h>
#include <tessera/thread.h>
#include <tessera/time.h>

BOOTARG_KNOWN(ip, "this component's IPv4 address (10.77.0.0/16): starts the network stack and RPC service");

#define NET_TICK_NS NSEC_PER_MSEC

extern const struct ep_service *const __start_ep_services[], *const __stop_ep_services[];

static struct net_if *boot_nif;
static struct cm *boot_cm;
static struct rpc_ep *boot_ep;
static struct rpc_ep *ready_ep; /* boot_ep once serving; see net_rpc_ep */
static struct peer_cache *boot_peers; /* boot_ep's shared connections */

static void net_boot_rx(struct netdev *dev, const void *frame, size_t len,
			void *arg)
{
	net_input(arg, frame, len);
}

static void net_boot_tick(void *arg)
{
	for (;;) {
		thread_sleep_ns(NET_TICK_NS);
		net_tick(arg);
	}
}

void net_ip_str(u32 ip, char *buf, size_t cap)
{
	fmt_snprintf(buf, cap, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255,
		     (ip >> 8) & 255, ip & 255);
}

static int net_boot_services(void)
{
	for (const struct ep_service *const *s = __start_ep_services;
	     s < __stop_ep_services; s++) {
		int err = (*s)->start(boot_ep, boot_nif, boot_cm);

		if (err) {
			pr_err("net: service %s failed to start: %d\n", (*s)->name, err);
			return err;
		}
	}
	return 0;
}

static int net_boot_stack(struct netdev *dev, u32 ip)
{
	struct net_if_config cfg = { .ip = ip,
				     .mtu = MIN(dev->mtu, NET_IF_MTU_MAX),
				     .port = dev };
	struct rpc_ep_config ec = { .window = 16, .workers = 2 };
	int err;

	memcpy(cfg.mac, dev->mac, ETH_ALEN);
	err = net_if_create(&cfg, &boot_nif);
	if (err)
		return err;
	err = cm_create(boot_nif, &boot_cm);
	if (!err)
		err = rpc_ep_create(boot_nif, boot_cm, &ec, &boot_ep);
	if (!err)
		err = peer_cache_create(boot_ep, &boot_peers);
	if (!err)
		err = net_boot_services();
	if (!err)
		err = thread_spawn(net_boot_tick, boot_nif, "net-tick");
	if (!err)
		netdev_set_rx(dev, net_boot_rx, boot_nif);
	return err;
}

static int net_boot(void)
{
	struct netdev *dev = netdev_get(0);
	const char *ips = bootarg_str("ip", NULL);
	char name[16];
	u32 ip;
	int err;

	if (!dev || !ips) {
		pr_info("net: %s, network stack not started\n",
			dev ? "no ip= boot argument" : "no network device");
		return 0;
	}
	if (inet_parse(ips, &ip, NULL)) {
		pr_err("net: bad ip=%s\n", ips);
		return -EINVAL;
	}
	err = net_boot_stack(dev, ip);
	if (err) {
		pr_err("net: bring-up on %s failed: %d\n", dev->name, err);
		return err;
	}
	__atomic_store_n(&ready_ep, boot_ep, __ATOMIC_RELEASE);
	net_ip_str(ip, name, sizeof(name));
	pr_info("net: %s up at %s mtu %u, RPC service ready\n", dev->name,
		name, net_if_mtu(boot_nif));
	return 0;
}
SERVICE_INITCALL(net_boot);

struct rpc_ep *net_rpc_ep(void)
{
	return __atomic_load_n(&ready_ep, __ATOMIC_ACQUIRE);
}

u32 net_self_ip(void)
{
	u32 ip;

	if (inet_parse(bootarg_str("ip", ""), &ip, NULL))
		return 0;
	return ip;
}

int peer_call(u32 ip, u16 op, const void *req, u32 len, void *reply, u32 cap,
	      u64 timeout_ns)
{
	if (!net_rpc_ep())
		return -ENETDOWN;
	return peer_cache_call(boot_peers, ip, op, req, len, reply, cap,
			       timeout_ns);
}

int peer_call_start(u32 ip, u16 op, const void *req, u32 len, void *reply, u32 cap,
		    u64 timeout_ns, struct peer_pending *pp)
{
	if (!net_rpc_ep())
		return -ENETDOWN;
	return peer_cache_call_start(boot_peers, ip, op, req, len, reply, cap, timeout_ns,
				     pp);
}
