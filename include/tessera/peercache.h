/*
 * A cache of RPC connections by peer address, for kernel services that
 * call many peers on demand (the mMonitor's forwards, the pMonitor's
 * memory client): connect on first use, connect again after the
 * connection failed.
 *
 * Locking: peer_cache.lock (mutex) guards the entries and is held while
 * connecting, never across a call. A call holds a use count on its entry
 * so a failed connection is closed only by its last user.
 */
#ifndef TESSERA_PEERCACHE_H
#define TESSERA_PEERCACHE_H

#include <tessera/mutex.h>
#include <tessera/types.h>

#define PEER_CACHE_MAX 16

struct rpc_peer;

struct peer_cache_entry {
	u32 ip;
	u32 users; /* calls in progress */
	bool dead; /* a call failed with -ECONNRESET: close when unused */
	struct rpc_peer *peer; /* NULL: free entry */
};

struct peer_cache {
	struct mutex lock;
	u64 connect_ns; /* how long a connect may take */
	struct peer_cache_entry e[PEER_CACHE_MAX];
};

void peer_cache_init(struct peer_cache *pc, u64 connect_ns);
/* rpc_call on the boot endpoint's connection to ip, connecting first if
 * there is none; the result is rpc_call's, or the connect's -errno
 * (-ENETDOWN: no endpoint, -ENOSPC: too many peers). */
int peer_cache_call(struct peer_cache *pc, u32 ip, u16 op, const void *req,
		    u32 len, void *reply, u32 cap, u64 timeout_ns);

#endif
