/*
 * The serving side: checking every received message against the opcode
 * table of tessera/wire/rpc.h, handing requests to workers (or running
 * them in rpc_poll), and sending replies. A request's body stays in its
 * receive buffer while its handler runs; the buffer is reposted after.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "net/rpc/rpc_priv.h"

/* Opcode values have gaps (one range per protocol): known marks the
 * declared ones. The bounds expand to request min, max, reply min, max. */
struct rpc_op_desc {
	bool known;
	struct rpc_op_bounds b;
};
#define RPC_BOUNDS(name, val, ...) [val] = { true, { __VA_ARGS__ } },
static const struct rpc_op_desc rpc_ops[RPC_OPCODE_MAX] = {
	RPC_OPCODES(RPC_BOUNDS)
};
#undef RPC_BOUNDS

bool rpc_opcode_known(u32 opcode)
{
	return opcode < RPC_OPCODE_MAX && rpc_ops[opcode].known;
}

static bool len_ok(const struct rpc_hdr *h, u32 body)
{
	const struct rpc_op_bounds *b = &rpc_ops[h->opcode].b;

	if (h->len != body)
		return false;
	if (!(h->flags & RPC_F_REPLY))
		return body >= b->req_min && body <= b->req_max;
	if (h->status)
		return body == 0;
	return body >= b->rep_min && body <= b->rep_max;
}

u64 *rpc_check(struct rpc_ep *ep, const struct rpc_hdr *h, u32 byte_len)
{
	if (byte_len < sizeof(*h) || h->magic != RPC_MAGIC)
		return &ep->st.bad_magic;
	if (h->version != RPC_VERSION)
		return &ep->st.bad_version;
	if (!rpc_opcode_known(h->opcode) || (h->flags & ~RPC_F_REPLY))
		return &ep->st.bad_opcode;
	if (!len_ok(h, byte_len - (u32)sizeof(*h)))
		return &ep->st.bad_len;
	return NULL;
}

/* Under ep->lock. */
void rpc_request_in(struct rpc_peer *p, u32 rbuf)
{
	struct rpc_ep *ep = p->ep;
	struct rpc_work *w = &p->work[rbuf - RPC_RECV_BASE(p->window)];

	p->refs++;
	*w = (struct rpc_work){ NULL, p, rbuf };
	*ep->work_tail = w;
	ep->work_tail = &w->next;
	netplat_cond_broadcast(ep->work_cond);
}

/* Under ep->lock. The oldest queued request; with ready_only, NULL
 * unless it can be served without waiting for a reply buffer. */
struct rpc_work *rpc_work_take(struct rpc_ep *ep, bool ready_only)
{
	struct rpc_work *w = ep->work_head;

	if (!w || (ready_only && w->peer->state == PEER_UP &&
		   !w->peer->nrep_free))
		return NULL;
	if (!(ep->work_head = w->next))
		ep->work_tail = &ep->work_head;
	return w;
}

/* No workers: serve what can be served now; the rest waits for reply
 * buffers to come back (their SENDs' completions). */
void rpc_serve_inline(struct rpc_ep *ep)
{
	struct rpc_work *w;

	for (;;) {
		netplat_lock(ep->lock);
		w = rpc_work_take(ep, true);
		netplat_unlock(ep->lock);
		if (!w)
			return;
		rpc_serve(w->peer, w->rbuf);
	}
}

/* A reply send buffer; waits for one when there are workers. Under
 * ep->lock; false when none could be had. */
static bool reply_buf(struct rpc_peer *p, u32 *sbuf)
{
	struct rpc_ep *ep = p->ep;

	while (!p->nrep_free && ep->workers && p->state == PEER_UP && !ep->stop)
		netplat_cond_wait(ep->cond, ep->lock,
				  netplat_now_ns() + 10 * RPC_EXPIRE_EVERY_NS);
	if (!p->nrep_free || p->state != PEER_UP)
		return false;
	*sbuf = p->rep_free[--p->nrep_free];
	return true;
}

static int run_handler(struct rpc_ep *ep, struct rpc_peer *p,
		       const struct rpc_hdr *rq, struct rpc_hdr *rp)
{
	struct rpc_handler *hd = &ep->handlers[rq->opcode];
	struct rpc_req r = { .peer_ip = p->ip, .opcode = rq->opcode,
			     .body = rq + 1, .len = rq->len };
	u32 len = 0;
	int status;

	if (!hd->fn)
		return -EOPNOTSUPP;
	status = hd->fn(hd->arg, &r, rp + 1, &len);
	rp->len = status || len > RPC_MAX_BODY ? 0 : len;
	return status ? status : len > RPC_MAX_BODY ? -EMSGSIZE : 0;
}

/* Serve the request in rbuf: takes ep->lock itself; drops the reference
 * rpc_request_in took. */
void rpc_serve(struct rpc_peer *p, u32 rbuf)
{
	struct rpc_ep *ep = p->ep;
	const struct rpc_hdr *rq = (const void *)rpc_buf(p, rbuf);
	struct rpc_hdr *rp;
	u32 sbuf;

	netplat_lock(ep->lock);
	if (!reply_buf(p, &sbuf)) {
		ep->st.no_reply_buf++;
		goto out_repost;
	}
	netplat_unlock(ep->lock);
	rp = (struct rpc_hdr *)rpc_buf(p, sbuf);
	*rp = (struct rpc_hdr){ .magic = RPC_MAGIC, .version = RPC_VERSION,
				.opcode = rq->opcode, .flags = RPC_F_REPLY,
				.req_id = rq->req_id };
	rp->status = run_handler(ep, p, rq, rp);
	netplat_lock(ep->lock);
	ep->st.served++;
	if (rp->status == -EOPNOTSUPP && !ep->handlers[rq->opcode].fn)
		ep->st.unknown_op++;
	if (rpc_post_sbuf(p, sbuf, (u32)sizeof(*rp) + rp->len))
		p->rep_free[p->nrep_free++] = (u16)sbuf;
out_repost:
	rpc_post_rbuf(p, rbuf);
	rpc_peer_put(p);
	netplat_unlock(ep->lock);
}
