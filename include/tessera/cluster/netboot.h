/*
 * What the monitor's network bring-up (cluster/net_boot.c, ip= boot
 * argument) offers the layers above it: the RPC endpoint, the monitor's
 * address, and a way for a service to put its handlers on the endpoint
 * before anyone can call it.
 */
#ifndef TESSERA_CLUSTER_NETBOOT_H
#define TESSERA_CLUSTER_NETBOOT_H

#include <tessera/types.h>

struct cm;
struct net_if;
struct rpc_ep;

/* The monitor's RPC endpoint once the stack is up and serving; NULL before
 * that, without ip=, or if bring-up failed. Safe from any thread. */
struct rpc_ep *net_rpc_ep(void);
/* This monitor's address from ip=, or 0 without a valid one. */
u32 net_self_ip(void);
/* "a.b.c.d" into buf (16 bytes suffice). */
void net_ip_str(u32 ip, char *buf, size_t cap);

/* A service of the endpoint: start runs once, in the boot thread, when
 * the endpoint exists and before it is announced ready (net_rpc_ep);
 * it registers handlers (rpc_register) and returns 0 or -errno, which
 * stops the bring-up. An image has the services it links. */
struct ep_service {
	const char *name;
	int (*start)(struct rpc_ep *ep, struct net_if *nif, struct cm *cm);
};

#define EP_SERVICE(svc)                                                     \
	static const struct ep_service *const ep_service_entry_##svc        \
		__attribute__((section("ep_services"), used)) = &(svc)

#endif
