/*
 * Work that must run without nif->lock: datagrams for unlocked UDP
 * handlers (queued under the lock by udp_input, run by net_input once it
 * has released the lock) and the tick hooks of the layers above.
 * The queue and the hook table are guarded by nif->lock.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "net/inet/net_priv.h"

void udp_defer(struct net_if *nif, const struct udp_binding *b,
	       const struct udp_dgram *d)
{
	struct udp_deferred *q;

	if (d->len > UDP_DEFER_MAX) {
		nif->stats.udp_bad_len++;
		return;
	}
	if (nif->defer_count == UDP_DEFER_QUEUE) {
		nif->stats.udp_defer_drop++;
		return;
	}
	q = &nif->defer[(nif->defer_head + nif->defer_count++) %
			UDP_DEFER_QUEUE];
	*q = (struct udp_deferred){ .fn = b->fn, .arg = b->arg,
				    .src_ip = d->src_ip, .dst_ip = d->dst_ip,
				    .sport = d->sport, .dport = d->dport,
				    .len = (u32)d->len };
	memcpy(q->data, d->data, d->len);
}

static bool defer_pop(struct net_if *nif, struct udp_deferred *out)
{
	bool got;

	netplat_lock(nif->lock);
	got = nif->defer_count != 0;
	if (got) {
		*out = nif->defer[nif->defer_head];
		nif->defer_head = (nif->defer_head + 1) % UDP_DEFER_QUEUE;
		nif->defer_count--;
	}
	netplat_unlock(nif->lock);
	return got;
}

void net_run_deferred(struct net_if *nif)
{
	struct udp_deferred q;

	while (defer_pop(nif, &q)) {
		struct udp_dgram d = { .data = q.data, .len = q.len,
				       .src_ip = q.src_ip, .dst_ip = q.dst_ip,
				       .sport = q.sport, .dport = q.dport };

		q.fn(nif, &d, q.arg);
	}
}

int net_if_add_tick(struct net_if *nif, void (*fn)(void *arg), void *arg)
{
	int err = -ENOSPC;

	netplat_lock(nif->lock);
	for (int i = 0; i < NET_TICK_HOOKS && err; i++) {
		if (!nif->tick[i].fn) {
			nif->tick[i] = (struct net_tick_hook){ fn, arg };
			err = 0;
		}
	}
	netplat_unlock(nif->lock);
	return err;
}

/* A tick already copied out by a running net_tick may still call fn once
 * more; the platform's tick thread is the only caller, so removing from
 * that thread, or after it has stopped, is safe. */
void net_if_del_tick(struct net_if *nif, void (*fn)(void *arg), void *arg)
{
	netplat_lock(nif->lock);
	for (int i = 0; i < NET_TICK_HOOKS; i++)
		if (nif->tick[i].fn == fn && nif->tick[i].arg == arg)
			nif->tick[i].fn = NULL;
	netplat_unlock(nif->lock);
}
