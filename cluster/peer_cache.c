/* The monitor's RPC connections by address; see tessera/cluster/peer.h. */
#include <tessera/cluster/netboot.h>
#include <tessera/cluster/peer.h>
#include <tessera/errno.h>
#include <tessera/mutex.h>
#include <tessera/net/rpc.h>
#include <tessera/role.h>

struct peer_cache_entry {
	u32 ip;
	u32 users; /* calls in progress */
	bool dead; /* a call failed: close when unused, connect again */
	struct rpc_peer *peer; /* NULL: free entry */
};

static struct mutex peer_cache_lock;
static struct peer_cache_entry peer_cache[PEER_CACHE_MAX];

/* Before any service can call (they start at SERVICE_INITCALL or later). */
static int peer_cache_init(void)
{
	mutex_init(&peer_cache_lock, "peer_cache", LOCK_RANK_PEER_CACHE);
	return 0;
}
INITCALL(peer_cache_init);

/* The live entry for ip, or a new connection in a free one; lock held. */
static int peer_cache_get(u32 ip, u64 timeout_ns, struct peer_cache_entry **out)
{
	struct peer_cache_entry *free = NULL;
	struct rpc_ep *ep = net_rpc_ep();
	int err;

	for (u32 i = 0; i < PEER_CACHE_MAX; i++) {
		struct peer_cache_entry *e = &peer_cache[i];

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
	err = rpc_connect(ep, ip, timeout_ns, &free->peer);
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
	if (err == -ECONNRESET || err == -ETIMEDOUT)
		e->dead = true;
	if (e->dead && !e->users) {
		rpc_peer_close(e->peer);
		e->peer = NULL;
	}
}

int peer_call(u32 ip, u16 op, const void *req, u32 len, void *reply, u32 cap,
	      u64 timeout_ns)
{
	struct peer_cache_entry *e;
	int err;

	mutex_lock(&peer_cache_lock);
	err = peer_cache_get(ip, timeout_ns, &e);
	if (!err)
		e->users++;
	mutex_unlock(&peer_cache_lock);
	if (err)
		return err;
	err = rpc_call(e->peer, op, req, len, reply, cap, timeout_ns);
	mutex_lock(&peer_cache_lock);
	peer_cache_put(e, err);
	mutex_unlock(&peer_cache_lock);
	return err;
}
