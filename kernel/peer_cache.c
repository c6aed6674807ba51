/* RPC connections by address, made on demand; see tessera/peercache.h. */
#include <tessera/errno.h>
#include <tessera/netboot.h>
#include <tessera/netrpc.h>
#include <tessera/peercache.h>
#include <tessera/string.h>

void peer_cache_init(struct peer_cache *pc, u64 connect_ns)
{
	memset(pc, 0, sizeof(*pc));
	mutex_init(&pc->lock);
	pc->connect_ns = connect_ns;
}

/* The live entry for ip, or a new connection in a free one; lock held. */
static int peer_cache_get(struct peer_cache *pc, u32 ip,
			  struct peer_cache_entry **out)
{
	struct peer_cache_entry *free = NULL;
	struct rpc_ep *ep = net_rpc_ep();
	int err;

	for (u32 i = 0; i < PEER_CACHE_MAX; i++) {
		struct peer_cache_entry *e = &pc->e[i];

		if (e->peer && e->ip == ip && !e->dead) {
			*out = e;
			return 0;
		}
		if (!e->peer && !free)
			free = e;
	}
	if (!ep)
		return -ENETDOWN;
	if (!free)
		return -ENOSPC;
	err = rpc_connect(ep, ip, pc->connect_ns, &free->peer);
	if (err) {
		free->peer = NULL;
		return err;
	}
	free->ip = ip;
	free->dead = false;
	*out = free;
	return 0;
}

/* The call on e ended with err; lock held. */
static void peer_cache_put(struct peer_cache_entry *e, int err)
{
	e->users--;
	if (err == -ECONNRESET)
		e->dead = true;
	if (e->dead && !e->users) {
		rpc_peer_close(e->peer);
		e->peer = NULL;
	}
}

int peer_cache_call(struct peer_cache *pc, u32 ip, u16 op, const void *req,
		    u32 len, void *reply, u32 cap, u64 timeout_ns)
{
	struct peer_cache_entry *e;
	int err;

	mutex_lock(&pc->lock);
	err = peer_cache_get(pc, ip, &e);
	if (!err)
		e->users++;
	mutex_unlock(&pc->lock);
	if (err)
		return err;
	err = rpc_call(e->peer, op, req, len, reply, cap, timeout_ns);
	mutex_lock(&pc->lock);
	peer_cache_put(e, err);
	mutex_unlock(&pc->lock);
	return err;
}
