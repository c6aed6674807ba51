/*
 * State of the RPC layer (see tessera/net/rpc.h). Everything here is
 * guarded by ep->lock unless marked otherwise.
 *
 * Buffers of a peer: one registered region of 5 * window buffers of
 * RPC_BUF bytes: [0, 2W) request sends, [2W, 3W) reply sends, [3W, 5W)
 * receives. A request's send buffer is held until its SEND completes,
 * which may be after its reply arrives, hence twice the window. A work request id names peer slot, kind and buffer index;
 * completions whose QPN is not the slot's current peer's are stale (a
 * killed QP's flush) and ignored.
 *
 * Peer lifetime: refs counts the connection itself (dropped when the
 * peer is killed), the CM's cookie (dropped by whoever takes it from the
 * CM: the listener's release, a failed connect, or rpc_peer_close after
 * cm_disconnect), the user's handle (active peers) and requests being
 * served. A dead peer leaves its slot at once and its QP goes to ERROR;
 * the QP and the memory are freed when refs reaches zero, so the CM never
 * names a destroyed QP.
 */
#ifndef NET_RPC_RPC_PRIV_H
#define NET_RPC_RPC_PRIV_H

#include <tessera/net/plat.h>
#include <tessera/net/rpc.h>

#define RPC_BUF 8192u
#define RPC_DEFAULT_WINDOW 16
#define RPC_POLL_BATCH 16
#define RPC_EXPIRE_EVERY_NS 1000000ull
#define RPC_WR_RECV (1ull << 31)
#define RPC_REFS_ACTIVE 3 /* connection, CM, user handle */
#define RPC_REFS_PASSIVE 2 /* connection, CM */

_Static_assert(RPC_MSG_MAX <= RPC_BUF, "a message fits one buffer");

enum rpc_call_state { CALL_FREE, CALL_WAIT, CALL_DONE };

/* A call slot: req_id = gen << 16 | index. */
struct rpc_call {
	enum rpc_call_state state;
	u32 gen;
	u32 sbuf; /* request send buffer (held until its send completes) */
	void *reply;
	u32 cap;
	int result;
	u64 deadline_ns;
	rpc_done_fn done; /* NULL: a blocking caller waits on cond */
	void *arg;
	struct netplat_cond *cond;
};

/* A request waiting for a worker. */
struct rpc_work {
	struct rpc_work *next;
	struct rpc_peer *peer;
	u32 rbuf;
};

enum rpc_peer_state { PEER_CONNECTING, PEER_UP, PEER_DEAD };

struct rpc_peer {
	struct rpc_ep *ep;
	u32 slot, ip, qpn, window, refs;
	enum rpc_peer_state state;
	struct rdma_qp *qp;
	struct rdma_mr *mr;
	u8 *bufs;
	u16 *req_free, *rep_free; /* stacks of free send buffers */
	u32 nreq_free, nrep_free;
	rpc_done_fn conn_done; /* rpc_connect_start's */
	void *conn_arg;
	struct rpc_call *calls; /* window of them */
	struct rpc_work *work; /* 2 * window, one per receive buffer */
};

struct rpc_handler {
	rpc_handler_fn fn;
	void *arg;
};

struct rpc_ep {
	struct net_if *nif;
	struct cm *cm;
	struct netplat_lock *lock;
	struct netplat_cond *cond; /* send buffers and call slots freed */
	struct netplat_cond *work_cond; /* work queued, or stopping */
	struct rdma_pd *pd;
	struct rdma_cq *cq; /* every peer's sends and receives */
	u32 window, workers, threads; /* threads: still running */
	bool stop, polling;
	u64 next_expire_ns;
	struct rpc_peer *peers[RPC_MAX_PEERS];
	struct rpc_work *work_head, **work_tail;
	struct rpc_handler handlers[RPC_OPCODE_MAX];
	struct rpc_stats st;
};

/* A callback to run once ep->lock is released. */
struct rpc_cb {
	rpc_done_fn fn;
	void *arg;
	int result;
};

#define RPC_NBUF(w) (5 * (w))
#define RPC_REQ_BUFS(w) (2 * (w))
#define RPC_RECV_BASE(w) (3 * (w))

static inline u8 *rpc_buf(struct rpc_peer *p, u32 i)
{
	return p->bufs + (size_t)i * RPC_BUF;
}

/* rpc_peer.c */
int rpc_peer_new(struct rpc_ep *ep, u32 ip, u32 refs, struct rpc_peer **out);
/* Kill (if alive) and collect the failed async calls into cbs (window
 * entries); returns how many. */
int rpc_peer_kill(struct rpc_peer *p, struct rpc_cb *cbs);
void rpc_peer_put(struct rpc_peer *p);
void rpc_post_rbuf(struct rpc_peer *p, u32 rbuf);
int rpc_post_sbuf(struct rpc_peer *p, u32 sbuf, u32 len);
int rpc_listen(struct rpc_ep *ep);
void rpc_run_cbs(struct rpc_cb *cbs, int n);

/* rpc_call.c */
void rpc_reply_in(struct rpc_peer *p, const struct rpc_hdr *h, u32 len,
		  struct rpc_cb *cb);
void rpc_send_done(struct rpc_peer *p, u32 sbuf);
int rpc_expire(struct rpc_ep *ep, struct rpc_cb *cbs, int max);

/* rpc_serve.c */
bool rpc_opcode_known(u32 opcode);
/* 0, or the counter a malformed message is counted in. */
u64 *rpc_check(struct rpc_ep *ep, const struct rpc_hdr *h, u32 byte_len);
/* Queue the request received in rbuf (it holds a peer reference). */
void rpc_request_in(struct rpc_peer *p, u32 rbuf);
struct rpc_work *rpc_work_take(struct rpc_ep *ep, bool ready_only);
void rpc_serve_inline(struct rpc_ep *ep);
/* Run the handler and send the reply; takes and releases ep->lock. */
void rpc_serve(struct rpc_peer *p, u32 rbuf);

/* rpc_thread.c */
int rpc_threads_start(struct rpc_ep *ep);
void rpc_threads_stop(struct rpc_ep *ep);

#endif
