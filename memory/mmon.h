/*
 * The mMonitor service: one mem_node (mem.h) served over the
 * boot RPC endpoint. Its node id is its IPv4 address (ip=), so an owner
 * named by GMM or in a P2M_VREGION reply is an address to connect to.
 *
 * Locking: requests naming one pid are serialized by pid_lock[pid %
 * MMON_PID_LOCKS] (mutexes, held across mem_dispatch, which may forward
 * and sleep); the core's own spinlocks nest inside. A home holding a
 * pid's lock forwards to owners, which take their own node's lock for
 * that pid and never forward, so no cycle forms. Connections to GMM and
 * other mMonitors are the monitor's shared ones (tessera/cluster/peer.h).
 */
#ifndef MEMORY_MMON_H
#define MEMORY_MMON_H

#include <tessera/mutex.h>

#include "memory/mem.h"

#define MMON_PID_LOCKS 32

struct mmon {
	struct mem_node node;
	u32 gmm_ip; /* 0: no GMM, this node owns every vRegion it homes */
	struct mutex pid_lock[MMON_PID_LOCKS];
};

/* Set up m as node self (an IPv4 address) with the GMM at gmm_ip (0 for
 * none) and serve the memory protocol on ep. 0 or -errno. */
int mmon_start(struct mmon *m, struct rpc_ep *ep, u32 self, u32 gmm_ip);

#endif
