/*
 * Network interfaces: creation, the platform's receive and timer entry
 * points, statistics. Each entry point takes nif->lock for its run, then
 * releases it before calling unlocked UDP handlers (net_defer.c) and
 * tick hooks.
 */
#include <tessera/errno.h>
#include <tessera/lockrank.h>
#include <tessera/string.h>

#include "net/inet/net_priv.h"

int net_if_create(const struct net_if_config *cfg, struct net_if **out)
{
	struct net_if *nif;
	int err = -ENOMEM;

	if (cfg->mtu < 576 || cfg->mtu + sizeof(struct eth_hdr) > NET_ETH_MAX)
		return -EINVAL;
	nif = netplat_alloc(sizeof(*nif));
	if (!nif)
		return -ENOMEM;
	memcpy(nif->mac, cfg->mac, ETH_ADDR_LEN);
	nif->ip = cfg->ip;
	nif->mtu = cfg->mtu;
	nif->port = cfg->port;
	nif->ip_id = (u16)netplat_random();
	nif->lock = netplat_lock_new("net_if", LOCK_RANK_NET_IF);
	if (!nif->lock)
		goto out_free_nif;
	nif->txbuf = netplat_alloc(NET_ETH_MAX);
	if (!nif->txbuf)
		goto out_free_lock;
	nif->defer = netplat_alloc(UDP_DEFER_QUEUE * sizeof(*nif->defer));
	if (!nif->defer)
		goto out_free_txbuf;
	err = rdma_dev_create(nif);
	if (err)
		goto out_free_defer;
	*out = nif;
	return 0;

out_free_defer:
	netplat_free(nif->defer);
out_free_txbuf:
	netplat_free(nif->txbuf);
out_free_lock:
	netplat_lock_free(nif->lock);
out_free_nif:
	netplat_free(nif);
	return err;
}

/* The caller has stopped the platform from calling net_input/net_tick and
 * destroyed every RDMA object it created. */
void net_if_destroy(struct net_if *nif)
{
	rdma_dev_destroy(nif);
	netplat_free(nif->defer);
	netplat_free(nif->txbuf);
	netplat_lock_free(nif->lock);
	netplat_free(nif);
}

void net_get_stats(struct net_if *nif, struct net_stats *out)
{
	netplat_lock(nif->lock);
	*out = nif->stats;
	netplat_unlock(nif->lock);
}

u32 net_if_ip(const struct net_if *nif)
{
	return nif->ip;
}

u32 net_if_mtu(const struct net_if *nif)
{
	return nif->mtu;
}

struct rdma_dev *net_if_rdma(struct net_if *nif)
{
	return nif->rdma;
}

void net_input(struct net_if *nif, const void *frame, size_t len)
{
	netplat_lock(nif->lock);
	nif->stats.rx_frames++;
	eth_input(nif, frame, len);
	netplat_unlock(nif->lock);
	net_run_deferred(nif);
}

void net_tick(struct net_if *nif)
{
	struct net_tick_hook hooks[NET_TICK_HOOKS];
	u64 now = netplat_now_ns();

	netplat_lock(nif->lock);
	arp_expire(nif, now);
	rdma_tick_locked(nif, now);
	memcpy(hooks, nif->tick, sizeof(hooks));
	netplat_unlock(nif->lock);
	for (int i = 0; i < NET_TICK_HOOKS; i++)
		if (hooks[i].fn)
			hooks[i].fn(hooks[i].arg);
}
