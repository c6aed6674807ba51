/*
 * Shared RPC connections by address; see tessera/cluster/peer.h.
 *
 * An entry is free (ip 0), connecting (one caller is in rpc_connect),
 * live (peer set) or stale (a call on it failed: no new calls, closed by
 * its last user). pc->lock guards every field of every entry and is
 * dropped around rpc_connect, rpc_call and rpc_peer_close; pc->cond is
 * broadcast when a connect ends.
 */
#include <tessera/cluster/peer.h>
#include <tessera/errno.h>
#include <tessera/lockrank.h>
#include <tessera/net/plat.h>
#include <tessera/net/rpc.h>

struct peer_entry {
	u32 ip; /* 0: free */
	u32 users; /* calls in progress, and the connecting caller */
	bool connecting;
	bool stale;
	struct rpc_peer *peer; /* NULL while connecting */
};

struct peer_cache {
	struct rpc_ep *ep;
	struct netplat_lock *lock;
	struct netplat_cond *cond;
	struct peer_entry e[PEER_CACHE_MAX];
};

int peer_cache_create(struct rpc_ep *ep, struct peer_cache **out)
{
	struct peer_cache *pc = netplat_alloc(sizeof(*pc));

	if (!pc)
		return -ENOMEM;
	pc->ep = ep;
	pc->lock = netplat_lock_new("peer_cache", LOCK_RANK_PEER_CACHE);
	pc->cond = netplat_cond_new();
	if (!pc->lock || !pc->cond) {
		peer_cache_destroy(pc);
		return -ENOMEM;
	}
	*out = pc;
	return 0;
}

void peer_cache_destroy(struct peer_cache *pc)
{
	for (u32 i = 0; i < PEER_CACHE_MAX; i++)
		if (pc->e[i].peer)
			rpc_peer_close(pc->e[i].peer);
	if (pc->cond)
		netplat_cond_free(pc->cond);
	if (pc->lock)
		netplat_lock_free(pc->lock);
	netplat_free(pc);
}

/* The entry callers for ip use now (live or connecting), if any. */
static struct peer_entry *peer_find(struct peer_cache *pc, u32 ip)
{
	for (u32 i = 0; i < PEER_CACHE_MAX; i++)
		if (pc->e[i].ip == ip && !pc->e[i].stale)
			return &pc->e[i];
	return NULL;
}

static struct peer_entry *peer_free_entry(struct peer_cache *pc)
{
	for (u32 i = 0; i < PEER_CACHE_MAX; i++)
		if (!pc->e[i].ip)
			return &pc->e[i];
	return NULL;
}

/* Connect e (claimed, connecting) to ip with the lock dropped meanwhile.
 * On failure e is free again. Lock held on entry and return. */
static int peer_connect(struct peer_cache *pc, struct peer_entry *e,
			u64 timeout_ns)
{
	struct rpc_peer *peer;
	int err;

	netplat_unlock(pc->lock);
	err = rpc_connect(pc->ep, e->ip, timeout_ns, &peer);
	netplat_lock(pc->lock);
	e->connecting = false;
	if (err)
		*e = (struct peer_entry){ 0 };
	else
		e->peer = peer;
	netplat_cond_broadcast(pc->cond);
	return err;
}

/* A live entry for ip with a use count taken, connecting if need be
 * (or waiting for another caller's connect) until deadline. Lock held. */
static int peer_get(struct peer_cache *pc, u32 ip, u64 deadline,
		    struct peer_entry **out)
{
	struct peer_entry *e;
	int err;

	while ((e = peer_find(pc, ip)) && e->connecting) {
		if (netplat_now_ns() >= deadline)
			return -ETIMEDOUT;
		netplat_cond_wait(pc->cond, pc->lock, deadline);
	}
	if (!e) {
		e = peer_free_entry(pc);
		if (!e)
			return -ENOSPC;
		*e = (struct peer_entry){ .ip = ip, .connecting = true };
		err = peer_connect(pc, e, deadline - MIN(deadline,
							 netplat_now_ns()));
		if (err)
			return err;
	}
	e->users++;
	*out = e;
	return 0;
}

/* The call on e ended with err: the peer to close if e is done with,
 * else NULL. Lock held. */
static struct rpc_peer *peer_put(struct peer_entry *e, int err)
{
	struct rpc_peer *close = NULL;

	e->users--;
	if (err == -ECONNRESET || err == -ETIMEDOUT)
		e->stale = true;
	if (e->stale && !e->users) {
		close = e->peer;
		*e = (struct peer_entry){ 0 };
	}
	return close;
}

int peer_cache_call(struct peer_cache *pc, u32 ip, u16 op, const void *req,
		    u32 len, void *reply, u32 cap, u64 timeout_ns)
{
	u64 deadline = netplat_now_ns() + timeout_ns;
	struct rpc_peer *close;
	struct peer_entry *e;
	u64 now;
	int err;

	if (!ip)
		return -EHOSTUNREACH;
	netplat_lock(pc->lock);
	err = peer_get(pc, ip, deadline, &e);
	netplat_unlock(pc->lock);
	if (err)
		return err;
	now = netplat_now_ns();
	err = now >= deadline ? -ETIMEDOUT :
	      rpc_call(e->peer, op, req, len, reply, cap, deadline - now);
	netplat_lock(pc->lock);
	close = peer_put(e, now >= deadline ? 0 : err);
	netplat_unlock(pc->lock);
	if (close)
		rpc_peer_close(close);
	return err;
}

/* The call of pp ended (from the endpoint's progress, no lock held). */
static void peer_async_done(void *arg, int result)
{
	struct peer_pending *pp = arg;

	netplat_lock(pp->pc->lock);
	pp->result = result;
	pp->done = true;
	netplat_cond_broadcast(pp->pc->cond);
	netplat_unlock(pp->pc->lock);
}

int peer_cache_call_start(struct peer_cache *pc, u32 ip, u16 op, const void *req,
			  u32 len, void *reply, u32 cap, u64 timeout_ns,
			  struct peer_pending *pp)
{
	u64 deadline = netplat_now_ns() + timeout_ns;
	int err;

	*pp = (struct peer_pending){ .pc = pc };
	if (!ip)
		return -EHOSTUNREACH;
	netplat_lock(pc->lock);
	err = peer_get(pc, ip, deadline, &pp->e);
	netplat_unlock(pc->lock);
	if (err)
		return err;
	err = rpc_call_async(pp->e->peer, op, req, len, reply, cap,
			     deadline - MIN(deadline, netplat_now_ns()), peer_async_done, pp);
	if (err == -EAGAIN) { /* the window is full: the call is made now */
		pp->result = rpc_call(pp->e->peer, op, req, len, reply, cap,
				      deadline - MIN(deadline, netplat_now_ns()));
		pp->done = true;
		err = 0;
	}
	if (err) {
		struct rpc_peer *close;

		netplat_lock(pc->lock);
		close = peer_put(pp->e, err);
		netplat_unlock(pc->lock);
		if (close)
			rpc_peer_close(close);
	}
	return err;
}

int peer_cache_call_wait(struct peer_pending *pp)
{
	struct peer_cache *pc = pp->pc;
	struct rpc_peer *close;

	netplat_lock(pc->lock);
	while (!pp->done)
		netplat_cond_wait(pc->cond, pc->lock, ~0ull); /* done always runs */
	close = peer_put(pp->e, pp->result);
	netplat_unlock(pc->lock);
	if (close)
		rpc_peer_close(close);
	return pp->result;
}
