/*
 * Bringing the network up in a monitor: with a NIC (netdev 0) and an
 * ip= boot argument, an interface on the NIC, its receive handler and
 * millisecond tick thread, the connection manager and the RPC endpoint
 * serving PING, ECHO, BENCH and the RDMA probe. With rpc_peers= a thread
 * then runs echo calls (or, with rpc_reply=, BENCH calls) against each
 * peer and prints one result line per peer; with rdma_probe= it first
 * does one RDMA WRITE and one READ to that peer and prints the result.
 *
 * Kernel only (net/plat_kernel.c is the platform). The state here is set
 * once by the boot thread before any thread that reads it starts.
 */
#include <tessera/bootargs.h>
#include <tessera/errno.h>
#include <tessera/fmt.h>
#include <tessera/netboot.h>
#include <tessera/netcm.h>
#include <tessera/netdev.h>
#include <tessera/netrpc.h>
#include <tessera/netstack.h>
#include <tessera/printk.h>
#include <tessera/role.h>
#include <tessera/string.h>
#include <tessera/thread.h>
#include <tessera/time.h>

BOOTARG_KNOWN(ip, "this component's IPv4 address (10.77.0.0/16): starts the network stack and RPC service");
BOOTARG_KNOWN(rpc_peers, "comma-separated IPv4 addresses to run RPC echo calls against after boot");
BOOTARG_KNOWN(rpc_count, "RPC echo calls per rpc_peers address (default 1000)");
BOOTARG_KNOWN(rpc_threads, "calling threads per rpc_peers address (default 1)");
BOOTARG_KNOWN(rpc_reply, "with rpc_peers=: BENCH calls asking for replies of this many bytes instead of echo calls");
BOOTARG_KNOWN(rpc_req, "with rpc_reply=: request body bytes (default 32)");
BOOTARG_KNOWN(rdma_probe, "IPv4 address of a peer to RDMA WRITE and READ back once after boot");

#define NET_TICK_NS NSEC_PER_MSEC
#define RPC_CONNECT_WAIT_NS (60ull * NSEC_PER_SEC) /* peers may boot later */
#define RPC_CONNECT_TRY_NS (2ull * NSEC_PER_SEC)
#define RPC_BENCH_BODY 64

static struct net_if *boot_nif;
static struct cm *boot_cm;
static struct rpc_ep *boot_ep;
static struct rpc_ep *ready_ep; /* boot_ep once serving; see net_rpc_ep */

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

static void ip_str(u32 ip, char *buf, size_t cap)
{
	fmt_snprintf(buf, cap, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255,
		     (ip >> 8) & 255, ip & 255);
}

static int rpc_peer_connect(u32 ip, struct rpc_peer **out)
{
	u64 until = time_ns() + RPC_CONNECT_WAIT_NS;
	int err;

	do {
		err = rpc_connect(boot_ep, ip, RPC_CONNECT_TRY_NS, out);
	} while (err && time_ns() < until);
	return err;
}

static int rpc_load(struct rpc_peer *p, u32 count, u32 threads,
		    struct rpc_bench_result *r)
{
	u32 reply = (u32)bootarg_u64("rpc_reply", 0);

	if (!reply)
		return rpc_bench_echo(p, count, threads, RPC_BENCH_BODY, r);
	return rpc_bench_sized(p, count, threads,
			       (u32)bootarg_u64("rpc_req", 32), reply, r);
}

static void rpc_peer_run(u32 ip, u32 count, u32 threads)
{
	struct rpc_bench_result r = { 0 };
	struct rpc_peer *p;
	char name[16];
	int err;

	ip_str(ip, name, sizeof(name));
	err = rpc_peer_connect(ip, &p);
	if (!err) {
		err = rpc_load(p, count, threads, &r);
		rpc_peer_close(p);
	}
	if (err) {
		r.failed = count;
		r.served = -1;
	}
	printk(LOG_INFO,
	       "RPC peer=%s sent=%u ok=%u failed=%u median_us=%lu p99_us=%lu served=%ld err=%d threads=%u calls_per_s=%lu\n",
	       name, r.sent, r.ok, r.failed, (u64)(r.median_ns / NSEC_PER_USEC),
	       (u64)(r.p99_ns / NSEC_PER_USEC), (long)r.served,
	       err ? err : r.first_err, threads,
	       (u64)((u64)r.ok * NSEC_PER_SEC /
		     (r.elapsed_ns ? r.elapsed_ns : 1)));
}

/* Before rpc_peers= load: two connections from one address at once
 * would look to the peer like a restart. */
static void rdma_probe_once(void)
{
	const char *s = bootarg_str("rdma_probe", "");
	struct rpc_peer *p;
	u32 ip;
	int err;

	if (!*s)
		return;
	err = inet_parse(s, &ip, NULL);
	if (!err)
		err = rpc_peer_connect(ip, &p);
	if (!err) {
		err = rdma_probe_run(p, boot_nif, boot_cm);
		rpc_peer_close(p);
	}
	printk(LOG_INFO, "RDMA probe peer=%s write+read err=%d\n", s, err);
}

static void rpc_client_main(void *arg)
{
	const char *s = bootarg_str("rpc_peers", "");
	u32 count = (u32)bootarg_u64("rpc_count", 1000);
	u32 threads = (u32)bootarg_u64("rpc_threads", 1);
	u32 ip;

	rdma_probe_once();
	while (*s) {
		if (inet_parse(s, &ip, &s)) {
			pr_err("net: bad rpc_peers entry at \"%s\"\n", s);
			return;
		}
		rpc_peer_run(ip, count, threads ? threads : 1);
		if (*s == ',')
			s++;
	}
	pr_info("RPC done\n");
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
		err = rpc_echo_register(boot_ep);
	if (!err)
		err = rdma_probe_serve(boot_ep, boot_nif, boot_cm);
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
	ip_str(ip, name, sizeof(name));
	pr_info("net: %s up at %s mtu %u, RPC service ready\n", dev->name,
		name, net_if_mtu(boot_nif));
	if (*bootarg_str("rpc_peers", "") || *bootarg_str("rdma_probe", ""))
		return thread_spawn(rpc_client_main, NULL, "rpc-client");
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
