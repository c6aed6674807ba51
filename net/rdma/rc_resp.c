/*
 * The RC responder: accepts requests in PSN order, places SEND data into
 * posted receives, checks and performs RDMA WRITE and READ, and answers
 * with ACKs and NAKs.
 *
 * A packet with the expected PSN (epsn) is executed; one from the future
 * draws a single sequence NAK until epsn arrives; one from the past is a
 * duplicate: it is re-acknowledged, or, for a READ, re-executed (reads are
 * idempotent). Remote memory is touched only after rdma_mr_lookup has
 * checked key, protection domain, bounds and rights; a failed check is a
 * remote access NAK, counted, and moves the QP to ERROR as the spec asks.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "net/rdma/rdma_priv.h"

#define RNR_TIMER_CODE 14 /* advertised only; the requester has its own */

static struct rdma_rwqe *rq_head(struct rdma_responder *r)
{
	return r->rq_count ? &r->rq[r->rq_head] : NULL;
}

static void rq_complete(struct rdma_qp *qp, enum rdma_wr_op op, u32 len,
			const struct roce_hdrs *h, bool imm)
{
	struct rdma_responder *r = &qp->resp;
	struct rdma_wc wc = { .wr_id = rq_head(r)->wr.wr_id, .op = op,
			      .byte_len = len, .imm = imm ? h->imm : 0,
			      .has_imm = imm, .qpn = qp->qpn };

	rdma_cq_push(qp->recv_cq, &wc);
	r->rq_head = (r->rq_head + 1) % r->rq_depth;
	r->rq_count--;
}

/* NAK what epsn names and enter ERROR; returns the matching -errno. */
static int resp_fatal(struct rdma_qp *qp, u8 code)
{
	struct net_stats *st = &qp->dev->nif->stats;

	if (code == NAK_REMOTE_ACCESS)
		st->rdma_access_nak++;
	else
		st->rdma_inval_nak++;
	rc_send_ack(qp, AETH_NAK | code, qp->resp.epsn);
	rdma_qp_error_locked(qp);
	return code == NAK_REMOTE_ACCESS ? -EACCES : -EINVAL;
}

static int resp_rnr(struct rdma_qp *qp)
{
	qp->dev->nif->stats.rdma_rnr_nak++;
	rc_send_ack(qp, AETH_RNR_NAK | RNR_TIMER_CODE, qp->resp.epsn);
	return -EAGAIN;
}

/* The packet at epsn is done: move on, and acknowledge if asked. */
static void resp_accept(struct rdma_qp *qp, const struct roce_hdrs *h,
			u32 npsn)
{
	qp->resp.epsn = psn_add(qp->resp.epsn, npsn);
	qp->resp.nak_sent = false;
	if (h->ackreq && h->opcode != RC_READ_REQUEST)
		rc_send_ack(qp, AETH_ACK | AETH_CREDIT_INVALID, h->psn);
}

static int resp_send(struct rdma_qp *qp, const struct roce_hdrs *h,
		      const u8 *payload, u32 len)
{
	struct rdma_responder *r = &qp->resp;
	bool first = h->opcode == RC_SEND_FIRST || h->opcode >= RC_SEND_ONLY;
	bool last = h->opcode != RC_SEND_FIRST && h->opcode != RC_SEND_MIDDLE;
	bool imm = h->opcode == RC_SEND_LAST_IMM || h->opcode == RC_SEND_ONLY_IMM;
	struct rdma_rwqe *w = rq_head(r);

	if (first == r->in_send || (!last && len != qp->conn.mtu))
		return resp_fatal(qp, NAK_INVALID_REQ);
	if (!w)
		return resp_rnr(qp);
	if (first)
		r->send_off = 0;
	if (len > w->wr.sge.len - r->send_off)
		return resp_fatal(qp, NAK_INVALID_REQ);
	memcpy(w->local + r->send_off, payload, len);
	r->send_off += len;
	r->in_send = !last;
	if (last) {
		rq_complete(qp, RDMA_WR_RECV, r->send_off, h, imm);
		r->msn++;
	}
	resp_accept(qp, h, 1);
	return 0;
}

static bool write_first(u8 op)
{
	return op == RC_WRITE_FIRST || op == RC_WRITE_ONLY ||
	       op == RC_WRITE_ONLY_IMM;
}

static int resp_write(struct rdma_qp *qp, const struct roce_hdrs *h,
		       const u8 *payload, u32 len)
{
	struct rdma_responder *r = &qp->resp;
	bool first = write_first(h->opcode);
	bool last = h->opcode != RC_WRITE_FIRST && h->opcode != RC_WRITE_MIDDLE;
	bool imm = h->opcode == RC_WRITE_LAST_IMM ||
		   h->opcode == RC_WRITE_ONLY_IMM;
	struct rdma_mr *mr;

	if (first == r->in_write)
		return resp_fatal(qp, NAK_INVALID_REQ);
	if (first) {
		mr = rdma_mr_lookup(qp->dev, qp->pd, h->rkey, h->va,
				    h->dma_len, RDMA_ACCESS_REMOTE_WRITE);
		if (!mr)
			return resp_fatal(qp, NAK_REMOTE_ACCESS);
		r->write_ptr = mr->addr + (h->va - (u64)(uintptr_t)mr->addr);
		r->write_left = h->dma_len;
	}
	if (len > r->write_left || (!last && len != qp->conn.mtu) ||
	    (last && len != r->write_left))
		return resp_fatal(qp, NAK_INVALID_REQ);
	if (imm && !rq_head(r))
		return resp_rnr(qp);
	memcpy(r->write_ptr, payload, len);
	r->write_ptr += len;
	r->write_left -= len;
	r->in_write = !last;
	if (last && imm)
		rq_complete(qp, RDMA_WR_RECV_WRITE_IMM, h->dma_len, h, true);
	if (last)
		r->msn++;
	resp_accept(qp, h, 1);
	return 0;
}

static u8 read_opcode(u32 i, u32 n)
{
	if (n == 1)
		return RC_READ_RESP_ONLY;
	if (i == 0)
		return RC_READ_RESP_FIRST;
	return i + 1 == n ? RC_READ_RESP_LAST : RC_READ_RESP_MIDDLE;
}

/* Execute a READ request (new or duplicate). */
static int resp_read(struct rdma_qp *qp, const struct roce_hdrs *h, bool dup)
{
	struct rdma_responder *r = &qp->resp;
	u32 mtu = qp->conn.mtu;
	u32 n = h->dma_len ? (h->dma_len + mtu - 1) / mtu : 1;
	struct rdma_mr *mr;
	const u8 *src;

	if (r->in_send || r->in_write || h->dma_len > RDMA_MAX_MSG)
		return resp_fatal(qp, NAK_INVALID_REQ);
	mr = rdma_mr_lookup(qp->dev, qp->pd, h->rkey, h->va, h->dma_len,
			    RDMA_ACCESS_REMOTE_READ);
	if (!mr)
		return resp_fatal(qp, NAK_REMOTE_ACCESS);
	if (!dup)
		r->msn++;
	src = mr->addr + (h->va - (u64)(uintptr_t)mr->addr);
	for (u32 i = 0; i < n; i++) {
		struct rc_tx tx = { .h = { .opcode = read_opcode(i, n),
					   .psn = psn_add(h->psn, i),
					   .syndrome = AETH_ACK |
						       AETH_CREDIT_INVALID,
					   .msn = r->msn },
				    .payload = src + i * mtu,
				    .len = MIN(mtu, h->dma_len - i * mtu) };

		rc_xmit(qp, &tx);
	}
	if (!dup)
		resp_accept(qp, h, n);
	return 0;
}

static int resp_duplicate(struct rdma_qp *qp, const struct roce_hdrs *h)
{
	qp->dev->nif->stats.rdma_dup++;
	if (h->opcode == RC_READ_REQUEST)
		return resp_read(qp, h, true);
	rc_send_ack(qp, AETH_ACK | AETH_CREDIT_INVALID,
		    psn_add(qp->resp.epsn, ROCE_PSN_MASK));
	return 0;
}

void rc_resp_input(struct rdma_qp *qp, const struct roce_hdrs *h,
		   const u8 *payload, u32 len)
{
	struct rdma_responder *r = &qp->resp;
	s32 d = psn_diff(h->psn, r->epsn);

	if (d < 0) {
		resp_duplicate(qp, h);
		return;
	}
	if (d > 0) {
		if (!r->nak_sent) {
			r->nak_sent = true;
			qp->dev->nif->stats.rdma_seq_nak++;
			rc_send_ack(qp, AETH_NAK | NAK_PSN_SEQ_ERR, r->epsn);
		}
		return;
	}
	if (h->opcode <= RC_SEND_ONLY_IMM)
		resp_send(qp, h, payload, len);
	else if (h->opcode <= RC_WRITE_ONLY_IMM)
		resp_write(qp, h, payload, len);
	else
		resp_read(qp, h, false);
}

void rc_resp_flush(struct rdma_qp *qp)
{
	struct rdma_responder *r = &qp->resp;

	while (r->rq_count) {
		struct rdma_wc wc = { .wr_id = r->rq[r->rq_head].wr.wr_id,
				      .op = RDMA_WR_RECV,
				      .status = RDMA_WC_WR_FLUSH_ERR,
				      .qpn = qp->qpn };

		rdma_cq_push(qp->recv_cq, &wc);
		r->rq_head = (r->rq_head + 1) % r->rq_depth;
		r->rq_count--;
	}
	r->in_send = r->in_write = false;
}
