/*
 * RPC peers: one RC connection each, with its registered buffers and
 * call slots. Active peers are made by rpc_connect*, passive ones by the
 * CM listener; both carry calls both ways. Lock order: cm->lock, ep->lock,
 * nif->lock.
 */
#include <tessera/errno.h>
#include <tessera/net/cm.h>
#include <tessera/net/rdma.h>
#include <tessera/string.h>
#include <tessera/wire/rdma_cm.h>

#include "net/rpc/rpc_priv.h"

static void peer_free(struct rpc_peer *p)
{
	if (p->qp)
		rdma_qp_destroy(p->qp);
	for (u32 i = 0; p->calls && i < p->window; i++)
		if (p->calls[i].cond)
			netplat_cond_free(p->calls[i].cond);
	if (p->mr)
		rdma_mr_dereg(p->mr);
	netplat_free(p->bufs);
	netplat_free(p->calls);
	netplat_free(p->work);
	netplat_free(p->req_free);
	netplat_free(p->rep_free);
	netplat_free(p);
}

static int peer_alloc(struct rpc_ep *ep, struct rpc_peer *p)
{
	u32 w = ep->window;

	p->bufs = netplat_alloc((size_t)RPC_NBUF(w) * RPC_BUF);
	p->calls = netplat_alloc(w * sizeof(*p->calls));
	p->work = netplat_alloc(2 * w * sizeof(*p->work));
	p->req_free = netplat_alloc(RPC_REQ_BUFS(w) * sizeof(u16));
	p->rep_free = netplat_alloc(w * sizeof(u16));
	if (!p->bufs || !p->calls || !p->work || !p->req_free || !p->rep_free)
		return -ENOMEM;
	for (u32 i = 0; i < w; i++) {
		p->calls[i].cond = netplat_cond_new();
		if (!p->calls[i].cond)
			return -ENOMEM;
		p->rep_free[i] = (u16)(RPC_REQ_BUFS(w) + i);
	}
	for (u32 i = 0; i < RPC_REQ_BUFS(w); i++)
		p->req_free[i] = (u16)i;
	p->nreq_free = RPC_REQ_BUFS(w);
	p->nrep_free = w;
	return rdma_mr_reg(ep->pd, p->bufs, (size_t)RPC_NBUF(w) * RPC_BUF,
			   RDMA_ACCESS_LOCAL_WRITE, &p->mr);
}

static int peer_qp(struct rpc_ep *ep, struct rpc_peer *p)
{
	struct rdma_qp_init qi = { .send_cq = ep->cq, .recv_cq = ep->cq,
				   .sq_depth = RPC_RECV_BASE(ep->window),
				   .rq_depth = 2 * ep->window };
	int err = rdma_qp_create(ep->pd, &qi, &p->qp);

	if (err)
		return err;
	p->qpn = rdma_qp_num(p->qp);
	return 0;
}

static u64 wr_id(struct rpc_peer *p, u32 buf, bool recv)
{
	return (u64)p->slot << 32 | (recv ? RPC_WR_RECV : 0) | buf;
}

/* Under ep->lock. */
void rpc_post_rbuf(struct rpc_peer *p, u32 rbuf)
{
	struct rdma_recv_wr wr = {
		.wr_id = wr_id(p, rbuf, true),
		.sge = { (u64)(uintptr_t)rpc_buf(p, rbuf), RPC_BUF,
			 rdma_mr_lkey(p->mr) } };

	if (p->state != PEER_DEAD)
		rdma_post_recv(p->qp, &wr);
}

/* Under ep->lock. */
int rpc_post_sbuf(struct rpc_peer *p, u32 sbuf, u32 len)
{
	struct rdma_send_wr wr = {
		.wr_id = wr_id(p, sbuf, false), .op = RDMA_WR_SEND,
		.sge = { (u64)(uintptr_t)rpc_buf(p, sbuf), len,
			 rdma_mr_lkey(p->mr) } };

	if (p->state == PEER_DEAD)
		return -ECONNRESET;
	return rdma_post_send(p->qp, &wr);
}

static int peer_insert(struct rpc_ep *ep, struct rpc_peer *p)
{
	for (u32 i = 0; i < RPC_MAX_PEERS; i++) {
		if (!ep->peers[i]) {
			p->slot = i;
			ep->peers[i] = p;
			return 0;
		}
	}
	return -ENOSPC;
}

/* A new peer in CONNECTING with its receives posted, holding refs
 * references (see rpc_priv.h, "Peer lifetime"). */
int rpc_peer_new(struct rpc_ep *ep, u32 ip, u32 refs, struct rpc_peer **out)
{
	struct rpc_peer *p = netplat_alloc(sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	*p = (struct rpc_peer){ .ep = ep, .ip = ip, .window = ep->window,
				.refs = refs, .state = PEER_CONNECTING };
	err = peer_alloc(ep, p);
	if (!err)
		err = peer_qp(ep, p);
	if (err)
		goto out_free;
	netplat_lock(ep->lock);
	err = peer_insert(ep, p);
	for (u32 i = RPC_RECV_BASE(p->window); !err && i < RPC_NBUF(p->window);
	     i++)
		rpc_post_rbuf(p, i);
	netplat_unlock(ep->lock);
	if (err)
		goto out_free;
	*out = p;
	return 0;

out_free:
	peer_free(p);
	return err;
}

/* Under ep->lock. May free p unless the caller holds a reference. */
int rpc_peer_kill(struct rpc_peer *p, struct rpc_cb *cbs)
{
	int n = 0;

	if (p->state == PEER_DEAD)
		return 0;
	p->state = PEER_DEAD;
	p->ep->peers[p->slot] = NULL;
	rdma_qp_reset(p->qp); /* destroyed with p: the CM may still name it */
	for (u32 i = 0; i < p->window; i++) {
		struct rpc_call *c = &p->calls[i];

		if (c->state != CALL_WAIT)
			continue;
		c->result = -ECONNRESET;
		c->state = CALL_DONE;
		if (c->done) {
			cbs[n++] = (struct rpc_cb){ c->done, c->arg,
						    -ECONNRESET };
			c->state = CALL_FREE;
			c->gen++;
		}
		netplat_cond_broadcast(c->cond);
	}
	netplat_cond_broadcast(p->ep->cond);
	rpc_peer_put(p); /* the connection's own reference */
	return n;
}

/* Under ep->lock. */
void rpc_peer_put(struct rpc_peer *p)
{
	if (--p->refs == 0 && p->state == PEER_DEAD)
		peer_free(p);
}

void rpc_run_cbs(struct rpc_cb *cbs, int n)
{
	for (int i = 0; i < n; i++)
		cbs[i].fn(cbs[i].arg, cbs[i].result);
}

void rpc_peer_close(struct rpc_peer *p)
{
	struct rpc_ep *ep = p->ep;
	struct rpc_cb cbs[RPC_WINDOW_MAX];
	bool cm_held = cm_disconnect(ep->cm, p->qp);
	int n;

	netplat_lock(ep->lock);
	n = rpc_peer_kill(p, cbs);
	if (cm_held)
		rpc_peer_put(p); /* the CM's reference, now ours */
	rpc_peer_put(p);
	netplat_unlock(ep->lock);
	rpc_run_cbs(cbs, n);
}

u32 rpc_peer_ip(const struct rpc_peer *p)
{
	return p->ip;
}

/* The CM never kept p (its connect failed to start or to finish): drop
 * what it would have held and the user's handle. */
static void peer_not_connected(struct rpc_peer *p)
{
	struct rpc_ep *ep = p->ep;
	struct rpc_cb cbs[RPC_WINDOW_MAX];
	int n;

	netplat_lock(ep->lock);
	n = rpc_peer_kill(p, cbs);
	rpc_peer_put(p); /* the CM's */
	rpc_peer_put(p); /* the user's */
	netplat_unlock(ep->lock);
	rpc_run_cbs(cbs, n);
}

/* The CM's done callback for an active peer. */
static void peer_connected(void *arg, int err)
{
	struct rpc_peer *p = arg;
	struct rpc_ep *ep = p->ep;
	struct rpc_cb cbs[RPC_WINDOW_MAX + 1];
	int n = 0;

	netplat_lock(ep->lock);
	if (err) {
		n = rpc_peer_kill(p, cbs);
		rpc_peer_put(p); /* the CM did not keep it */
	} else if (p->state == PEER_CONNECTING)
		p->state = PEER_UP;
	if (p->conn_done)
		cbs[n++] = (struct rpc_cb){ p->conn_done, p->conn_arg, err };
	netplat_unlock(ep->lock);
	rpc_run_cbs(cbs, n);
}

int rpc_connect_start(struct rpc_ep *ep, u32 ip, u64 timeout_ns,
		      rpc_done_fn done, void *arg, struct rpc_peer **out)
{
	struct rpc_peer *p;
	int err = rpc_peer_new(ep, ip, RPC_REFS_ACTIVE, &p);

	if (err)
		return err;
	p->conn_done = done;
	p->conn_arg = arg;
	*out = p;
	err = cm_connect_start(ep->cm, ip, CM_SERVICE_RPC, p->qp, p,
			       timeout_ns, peer_connected, p);
	if (err)
		peer_not_connected(p);
	return err;
}

int rpc_connect(struct rpc_ep *ep, u32 ip, u64 timeout_ns,
		struct rpc_peer **out)
{
	struct rpc_peer *p;
	int err = rpc_peer_new(ep, ip, RPC_REFS_ACTIVE, &p);

	if (err)
		return err;
	err = cm_connect(ep->cm, ip, CM_SERVICE_RPC, p->qp, p, timeout_ns);
	if (err) {
		peer_not_connected(p);
		return err;
	}
	netplat_lock(ep->lock);
	if (p->state == PEER_CONNECTING)
		p->state = PEER_UP;
	netplat_unlock(ep->lock);
	*out = p;
	return 0;
}

static int listen_accept(void *arg, u32 ip, struct rdma_qp **qp,
			 void **cookie)
{
	struct rpc_ep *ep = arg;
	struct rpc_peer *p;
	int err = rpc_peer_new(ep, ip, RPC_REFS_PASSIVE, &p);

	if (err)
		return err;
	netplat_lock(ep->lock);
	p->state = PEER_UP; /* the CM connects it before answering */
	netplat_unlock(ep->lock);
	*qp = p->qp;
	*cookie = p;
	return 0;
}

/* The CM is done with a connection, passive or active (the peer closed
 * it or restarted): it dies now if it has not died on its own already,
 * and the CM's reference goes. */
static void listen_release(void *arg, void *cookie)
{
	struct rpc_peer *p = cookie;
	struct rpc_ep *ep = p->ep;
	struct rpc_cb cbs[RPC_WINDOW_MAX];
	int n;

	netplat_lock(ep->lock);
	n = rpc_peer_kill(p, cbs);
	rpc_peer_put(p);
	netplat_unlock(ep->lock);
	rpc_run_cbs(cbs, n);
}

int rpc_listen(struct rpc_ep *ep)
{
	struct cm_listener l = { .service = CM_SERVICE_RPC,
				 .accept = listen_accept,
				 .release = listen_release, .arg = ep };

	return cm_listen(ep->cm, &l);
}
