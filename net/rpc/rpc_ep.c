/*
 * RPC endpoints: creation, handler registration, and rpc_poll, which
 * turns completions into replies delivered, requests served and peers
 * killed. One thread polls at a time (ep->polling); callbacks and inline
 * handlers run after ep->lock is released.
 */
#include <tessera/errno.h>
#include <tessera/lockrank.h>
#include <tessera/net/cm.h>
#include <tessera/net/rdma.h>
#include <tessera/net/stack.h>
#include <tessera/string.h>
#include <tessera/wire/rdma_cm.h>

#include "net/rpc/rpc_priv.h"

/* What one completion asks of the poller once ep->lock is released. */
struct rpc_after {
	struct rpc_cb cbs[RPC_WINDOW_MAX + 1];
	int ncb;
};

static void recv_done(struct rpc_peer *p, u32 rbuf, u32 len,
		      struct rpc_after *a)
{
	const struct rpc_hdr *h = (const void *)rpc_buf(p, rbuf);
	u64 *bad = rpc_check(p->ep, h, len);

	if (bad) {
		(*bad)++;
	} else if (h->flags & RPC_F_REPLY) {
		struct rpc_cb cb = { NULL, NULL, 0 };

		rpc_reply_in(p, h, len, &cb);
		if (cb.fn)
			a->cbs[a->ncb++] = cb;
	} else {
		rpc_request_in(p, rbuf);
		return; /* reposted once served */
	}
	rpc_post_rbuf(p, rbuf);
}

static void complete(struct rpc_ep *ep, const struct rdma_wc *wc,
		     struct rpc_after *a)
{
	u32 slot = (u32)(wc->wr_id >> 32), buf = (u32)wc->wr_id & 0xffff;
	struct rpc_peer *p = slot < RPC_MAX_PEERS ? ep->peers[slot] : NULL;

	if (!p || p->qpn != wc->qpn)
		return; /* a killed QP's flush */
	if (wc->status != RDMA_WC_SUCCESS) {
		ep->st.conn_errors++;
		a->ncb += rpc_peer_kill(p, a->cbs + a->ncb);
	} else if (wc->wr_id & RPC_WR_RECV) {
		recv_done(p, buf, wc->byte_len, a);
	} else {
		rpc_send_done(p, buf);
	}
}

static bool poll_enter(struct rpc_ep *ep)
{
	bool got;

	netplat_lock(ep->lock);
	got = !ep->polling;
	ep->polling = true;
	netplat_unlock(ep->lock);
	return got;
}

static void poll_expire(struct rpc_ep *ep)
{
	struct rpc_cb cbs[RPC_WINDOW_MAX];
	u64 now = netplat_now_ns();
	int n = 0;

	netplat_lock(ep->lock);
	if (now >= ep->next_expire_ns) {
		ep->next_expire_ns = now + RPC_EXPIRE_EVERY_NS;
		n = rpc_expire(ep, cbs, RPC_WINDOW_MAX);
	}
	ep->polling = false;
	netplat_unlock(ep->lock);
	rpc_run_cbs(cbs, n);
}

void rpc_poll(struct rpc_ep *ep)
{
	struct rdma_wc wc[RPC_POLL_BATCH];
	struct rpc_after a;
	int n;

	if (!poll_enter(ep))
		return;
	while ((n = rdma_cq_poll(ep->cq, wc, RPC_POLL_BATCH)) > 0) {
		for (int i = 0; i < n; i++) {
			a.ncb = 0;
			netplat_lock(ep->lock);
			complete(ep, &wc[i], &a);
			netplat_unlock(ep->lock);
			rpc_run_cbs(a.cbs, a.ncb);
		}
		if (!ep->workers)
			rpc_serve_inline(ep);
	}
	poll_expire(ep);
}

static void rpc_tick(void *arg)
{
	rpc_poll(arg);
}

static int ep_init(struct rpc_ep *ep, struct net_if *nif, struct cm *cm,
		   const struct rpc_ep_config *cfg)
{
	u32 cq_depth;

	ep->nif = nif;
	ep->cm = cm;
	ep->window = cfg->window ? cfg->window : RPC_DEFAULT_WINDOW;
	ep->workers = cfg->workers;
	ep->work_tail = &ep->work_head;
	if (ep->window > RPC_WINDOW_MAX)
		return -EINVAL;
	cq_depth = (RPC_MAX_PEERS + 4) * RPC_NBUF(ep->window);
	ep->lock = netplat_lock_new("rpc_ep", LOCK_RANK_RPC_EP);
	ep->cond = netplat_cond_new();
	ep->work_cond = netplat_cond_new();
	if (!ep->lock || !ep->cond || !ep->work_cond)
		return -ENOMEM;
	if (rdma_pd_alloc(nif, &ep->pd))
		return -ENOMEM;
	return rdma_cq_create(nif, cq_depth, &ep->cq);
}

static void ep_free(struct rpc_ep *ep)
{
	if (ep->cq)
		rdma_cq_destroy(ep->cq);
	if (ep->pd)
		rdma_pd_free(ep->pd);
	if (ep->work_cond)
		netplat_cond_free(ep->work_cond);
	if (ep->cond)
		netplat_cond_free(ep->cond);
	if (ep->lock)
		netplat_lock_free(ep->lock);
	netplat_free(ep);
}

int rpc_ep_create(struct net_if *nif, struct cm *cm,
		  const struct rpc_ep_config *cfg, struct rpc_ep **out)
{
	struct rpc_ep *ep = netplat_alloc(sizeof(*ep));
	int err;

	if (!ep)
		return -ENOMEM;
	err = ep_init(ep, nif, cm, cfg);
	if (err)
		goto out_free;
	err = rpc_threads_start(ep);
	if (err)
		goto out_free;
	err = net_if_add_tick(nif, rpc_tick, ep);
	if (err)
		goto out_stop;
	err = rpc_listen(ep);
	if (err)
		goto out_del_tick;
	*out = ep;
	return 0;

out_del_tick:
	net_if_del_tick(nif, rpc_tick, ep);
out_stop:
	rpc_threads_stop(ep);
out_free:
	ep_free(ep);
	return err;
}

/* No connect may be in progress; peer handles become invalid. */
void rpc_ep_destroy(struct rpc_ep *ep)
{
	struct rpc_cb cbs[RPC_WINDOW_MAX];

	cm_unlisten(ep->cm, CM_SERVICE_RPC);
	net_if_del_tick(ep->nif, rpc_tick, ep);
	rpc_threads_stop(ep);
	for (u32 i = 0; i < RPC_MAX_PEERS; i++) {
		struct rpc_peer *p;
		int n = 0;

		netplat_lock(ep->lock);
		p = ep->peers[i];
		if (p) {
			p->refs = 1; /* user handles die with the endpoint */
			n = rpc_peer_kill(p, cbs);
		}
		netplat_unlock(ep->lock);
		rpc_run_cbs(cbs, n);
	}
	ep_free(ep);
}

int rpc_register(struct rpc_ep *ep, u16 opcode, rpc_handler_fn fn,
		 void *arg)
{
	int err = 0;

	if (!rpc_opcode_known(opcode))
		return -EINVAL;
	netplat_lock(ep->lock);
	if (ep->handlers[opcode].fn)
		err = -EEXIST;
	else
		ep->handlers[opcode] = (struct rpc_handler){ fn, arg };
	netplat_unlock(ep->lock);
	return err;
}

void rpc_get_stats(struct rpc_ep *ep, struct rpc_stats *out)
{
	netplat_lock(ep->lock);
	*out = ep->st;
	netplat_unlock(ep->lock);
}
