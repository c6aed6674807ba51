/* Host-test fixtures for connection setup and RPC on a simulated link:
 * nodes with a CM and a single-threaded RPC endpoint, and a driver that
 * runs the link until a condition holds. */
#ifndef NET_RPC_RPC_TEST_UTIL_H
#define NET_RPC_RPC_TEST_UTIL_H

#include <tessera/net/cm.h>
#include <tessera/net/rpc.h>
#include <tessera/net/stack.h>

#include "net/plat/simlink.h"

#define SEC 1000000000ull
#define MSEC 1000000ull

struct rnode {
	struct simlink *link;
	struct simport *port;
	struct net_if *nif;
	struct cm *cm;
	struct rpc_ep *ep;
};

/* Node id (IP 10.0.0.id) with an endpoint of the given window; echo
 * registers the PING and ECHO handlers. */
void rnode_init(struct rnode *n, struct simlink *l, u8 id, u32 window,
		bool echo);
void rnode_fini(struct rnode *n);
u32 rnode_ip(u8 id);

/* Run the link (polling every endpoint of nodes[0..n) that is not
 * stalled at each event)
 * until *flag becomes nonzero or ns of simulated time pass. */
bool rnodes_run(struct rnode **nodes, int n, const int *flag, u64 ns);

/* Connect a to b; the peer, or NULL after a failed check. */
struct rpc_peer *rnode_connect(struct rnode *a, struct rnode *b, u64 ns);

/* A recorded async result. */
struct rdone {
	int result;
	int calls; /* times done ran: must end at 1 */
};
void rdone_cb(void *arg, int result);

/* Two nodes a and b on a fresh link, a connected to b (p). */
struct duo {
	struct simlink *l;
	struct rnode a, b;
	struct rnode *both[2];
	struct rpc_peer *p; /* a's peer for b */
};
bool duo_up(struct duo *d, u64 seed, u32 window, bool echo);
void duo_down(struct duo *d);
/* Issue an async call on d->p and run until it completes. */
int call_sync(struct duo *d, u16 op, const void *req, u32 len, void *reply,
	      u32 cap, u64 timeout);

#endif
