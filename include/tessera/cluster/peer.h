/*
 * The monitor's RPC connections by peer address, shared by every kernel
 * service that calls other components (membership, the mMonitor's
 * forwards, the pMonitor's memory client): a peer accepts one connection
 * per address (a second one from the same address replaces the first, as
 * after a restart), so there is one per peer for the whole monitor. It is
 * made on first use and made again after a call failed with -ECONNRESET
 * or -ETIMEDOUT.
 *
 * Locking: a mutex guards the entries and is held while connecting, never
 * across a call. A call holds a use count on its entry, so a failed
 * connection is closed only by its last user.
 */
#ifndef TESSERA_CLUSTER_PEER_H
#define TESSERA_CLUSTER_PEER_H

#include <tessera/types.h>

#define PEER_CACHE_MAX 32

/* rpc_call on the boot endpoint's connection to ip, connecting first
 * (for up to timeout_ns) if there is none; the result is rpc_call's, or
 * the connect's -errno (-ENETDOWN: no endpoint, -ENOSPC: too many
 * peers). */
int peer_call(u32 ip, u16 op, const void *req, u32 len, void *reply, u32 cap,
	      u64 timeout_ns);

#endif
