/*
 * The calling side: call slots, sending requests, matching replies,
 * timeouts. A reply is copied once, from its receive buffer into the
 * caller's buffer, under ep->lock; a call that has timed out has already
 * released its slot (and bumped its generation), so its late reply
 * matches nothing and is counted.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "net/rpc/rpc_priv.h"

#define CALL_IDX_BITS 16

static struct rpc_call *call_slot(struct rpc_peer *p, u32 *idx)
{
	for (u32 i = 0; i < p->window; i++) {
		if (p->calls[i].state == CALL_FREE) {
			*idx = i;
			return &p->calls[i];
		}
	}
	return NULL;
}

/* Claim a slot and a send buffer and send; under ep->lock. -EAGAIN when
 * the window is full. */
static int call_send(struct rpc_peer *p, u16 opcode, const void *req,
		     u32 req_len, struct rpc_call **out)
{
	struct rpc_hdr *h;
	struct rpc_call *c;
	u32 idx, sbuf;
	int err;

	if (p->state != PEER_UP)
		return p->state == PEER_DEAD ? -ECONNRESET : -ENOTCONN;
	c = call_slot(p, &idx);
	if (!c || !p->nreq_free)
		return -EAGAIN;
	sbuf = p->req_free[--p->nreq_free];
	h = (struct rpc_hdr *)rpc_buf(p, sbuf);
	*h = (struct rpc_hdr){ .magic = RPC_MAGIC, .version = RPC_VERSION,
			       .opcode = opcode, .len = req_len,
			       .req_id = (u64)(c->gen + 1) << CALL_IDX_BITS |
					 idx };
	memcpy(h + 1, req, req_len);
	err = rpc_post_sbuf(p, sbuf, (u32)sizeof(*h) + req_len);
	if (err) {
		p->req_free[p->nreq_free++] = (u16)sbuf;
		return err;
	}
	c->gen++;
	c->state = CALL_WAIT;
	c->sbuf = sbuf;
	p->ep->st.calls++;
	*out = c;
	return 0;
}

static void call_arm(struct rpc_call *c, void *reply, u32 cap, u64 timeout,
		     rpc_done_fn done, void *arg)
{
	c->reply = reply;
	c->cap = cap;
	c->deadline_ns = netplat_now_ns() + timeout;
	c->done = done;
	c->arg = arg;
}

int rpc_call_async(struct rpc_peer *p, u16 opcode, const void *req,
		   u32 req_len, void *reply_buf, u32 reply_cap,
		   u64 timeout_ns, rpc_done_fn done, void *arg)
{
	struct rpc_call *c;
	int err;

	if (!rpc_opcode_known(opcode) || req_len > RPC_MAX_BODY || !done)
		return -EINVAL;
	netplat_lock(p->ep->lock);
	err = call_send(p, opcode, req, req_len, &c);
	if (!err)
		call_arm(c, reply_buf, reply_cap, timeout_ns, done, arg);
	netplat_unlock(p->ep->lock);
	return err;
}

/* Wait for a free slot; then send. Under ep->lock. */
static int call_send_wait(struct rpc_peer *p, u16 opcode, const void *req,
			  u32 req_len, u64 deadline, struct rpc_call **out)
{
	int err;

	while ((err = call_send(p, opcode, req, req_len, out)) == -EAGAIN)
		if (netplat_cond_wait(p->ep->cond, p->ep->lock, deadline))
			return -ETIMEDOUT;
	return err;
}

static int call_finish(struct rpc_ep *ep, struct rpc_call *c)
{
	int res;

	if (c->state == CALL_WAIT) {
		ep->st.timeouts++;
		res = -ETIMEDOUT;
	} else {
		res = c->result;
	}
	c->state = CALL_FREE;
	netplat_cond_broadcast(ep->cond);
	return res;
}

int rpc_call(struct rpc_peer *p, u16 opcode, const void *req, u32 req_len,
	     void *reply_buf, u32 reply_cap, u64 timeout_ns)
{
	struct rpc_ep *ep = p->ep;
	u64 deadline = netplat_now_ns() + timeout_ns;
	struct rpc_call *c;
	int res;

	if (!rpc_opcode_known(opcode) || req_len > RPC_MAX_BODY)
		return -EINVAL;
	netplat_lock(ep->lock);
	res = call_send_wait(p, opcode, req, req_len, deadline, &c);
	if (res)
		goto out_unlock;
	call_arm(c, reply_buf, reply_cap, timeout_ns, NULL, NULL);
	c->deadline_ns = deadline;
	while (c->state == CALL_WAIT && netplat_now_ns() < deadline)
		netplat_cond_wait(c->cond, ep->lock, deadline);
	res = call_finish(ep, c);
out_unlock:
	netplat_unlock(ep->lock);
	return res;
}

static int reply_result(struct rpc_call *c, const struct rpc_hdr *h)
{
	if (h->status)
		return h->status > 0 ? -EPROTO : h->status;
	if (h->len > c->cap)
		return -EMSGSIZE;
	memcpy(c->reply, h + 1, h->len);
	return (int)h->len;
}

/* A checked reply; under ep->lock. An async call's done goes to cb. */
void rpc_reply_in(struct rpc_peer *p, const struct rpc_hdr *h, u32 len,
		  struct rpc_cb *cb)
{
	u32 idx = (u32)(h->req_id & ((1u << CALL_IDX_BITS) - 1));
	u32 gen = (u32)(h->req_id >> CALL_IDX_BITS);
	struct rpc_call *c = idx < p->window ? &p->calls[idx] : NULL;

	if (!c || c->state != CALL_WAIT || c->gen != gen) {
		p->ep->st.late_replies++;
		return;
	}
	p->ep->st.replies++;
	c->result = reply_result(c, h);
	c->state = CALL_DONE;
	if (c->done) {
		*cb = (struct rpc_cb){ c->done, c->arg, c->result };
		c->state = CALL_FREE;
		netplat_cond_broadcast(p->ep->cond);
	} else {
		netplat_cond_broadcast(c->cond);
	}
}

/* A send buffer's SEND completed (or was flushed); under ep->lock. */
void rpc_send_done(struct rpc_peer *p, u32 sbuf)
{
	if (sbuf < RPC_REQ_BUFS(p->window))
		p->req_free[p->nreq_free++] = (u16)sbuf;
	else
		p->rep_free[p->nrep_free++] = (u16)sbuf;
	netplat_cond_broadcast(p->ep->cond);
}

/* Time out async calls past their deadline; under ep->lock. */
int rpc_expire(struct rpc_ep *ep, struct rpc_cb *cbs, int max)
{
	u64 now = netplat_now_ns();
	int n = 0;

	for (u32 i = 0; i < RPC_MAX_PEERS; i++) {
		struct rpc_peer *p = ep->peers[i];

		for (u32 j = 0; p && j < p->window && n < max; j++) {
			struct rpc_call *c = &p->calls[j];

			if (c->state != CALL_WAIT || !c->done ||
			    now < c->deadline_ns)
				continue;
			ep->st.timeouts++;
			cbs[n++] = (struct rpc_cb){ c->done, c->arg,
						    -ETIMEDOUT };
			c->state = CALL_FREE;
		}
	}
	if (n)
		netplat_cond_broadcast(ep->cond);
	return n;
}
