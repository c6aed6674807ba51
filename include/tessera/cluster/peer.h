/*
 * Shared RPC connections by peer address: every service of a monitor that
 * calls other components (membership, the mMonitor's forwards, the
 * pMonitor's memory and file clients) shares one connection per peer
 * address, made on first use. Several connections between two addresses
 * may coexist (tessera/net/cm.h), so these never disturb a launch's or a
 * manager's own connections.
 *
 * A dead or slow peer stalls no one else: the cache's lock is never held
 * while connecting or calling. Callers for an address that is being
 * connected wait for that connect, each no longer than its own timeout;
 * callers for other addresses go on. A call that fails with -ECONNRESET
 * or -ETIMEDOUT makes its connection stale: later callers make a new one
 * (which also shows whether the peer restarted), and the stale one is
 * closed once its last call has returned; calls still in flight on it are
 * not disturbed.
 *
 * Portable (netplat): the monitors use the boot endpoint's cache through
 * peer_call; host tests make their own.
 *
 * Locking: pc->lock guards the entries (rank LOCK_RANK_PEER_CACHE, above
 * the CM and the endpoint); a call holds a use count on its entry.
 */
#ifndef TESSERA_CLUSTER_PEER_H
#define TESSERA_CLUSTER_PEER_H

#include <tessera/types.h>

struct peer_cache;
struct rpc_ep;

#define PEER_CACHE_MAX 32

int peer_cache_create(struct rpc_ep *ep, struct peer_cache **out);
/* No call may be in progress. Closes every connection. */
void peer_cache_destroy(struct peer_cache *pc);

/* rpc_call on pc's connection to ip, connecting first if there is none
 * (the wait for a connection counts against timeout_ns); the result is
 * rpc_call's, or the connect's -errno (-ENOSPC: too many peers). */
int peer_cache_call(struct peer_cache *pc, u32 ip, u16 op, const void *req,
		    u32 len, void *reply, u32 cap, u64 timeout_ns);

/* peer_cache_call in two halves, so that a caller can make other calls
 * while this one is in flight: start sends it (0, or the -errno it could
 * not be sent with: then there is nothing to wait for), wait returns its
 * result as peer_cache_call would. pp is the caller's and must stay valid
 * until wait returns; reply too. */
struct peer_entry;
struct peer_pending {
	struct peer_cache *pc;
	struct peer_entry *e;
	int result; /* [pc->lock] */
	bool done;  /* [pc->lock] */
};
int peer_cache_call_start(struct peer_cache *pc, u32 ip, u16 op, const void *req,
			  u32 len, void *reply, u32 cap, u64 timeout_ns,
			  struct peer_pending *pp);
int peer_cache_call_wait(struct peer_pending *pp);

/* peer_cache_call on the monitor's boot endpoint (cluster/net_boot.c);
 * -ENETDOWN before it is up or without one. */
int peer_call(u32 ip, u16 op, const void *req, u32 len, void *reply, u32 cap,
	      u64 timeout_ns);
/* peer_cache_call_start on it; peer_cache_call_wait ends the call. */
int peer_call_start(u32 ip, u16 op, const void *req, u32 len, void *reply, u32 cap,
		    u64 timeout_ns, struct peer_pending *pp);

#endif
