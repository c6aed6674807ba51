/*
 * The RC requester: turns send work requests into packets, tracks the
 * oldest unacknowledged PSN (una_psn), and completes work in order.
 *
 * Invariants (all PSN arithmetic modulo 2^24):
 *   una_psn <= next_psn <= max_psn, next_psn - una_psn <= RDMA_WINDOW + 1
 *     message;
 *   WQEs in the ring from sq_head hold consecutive PSN ranges starting at
 *     the oldest outstanding one; sq[cur] is the WQE holding next_psn;
 *   a READ is acknowledged by its responses only, in order; an ACK never
 *     acknowledges past an incomplete READ.
 * Recovery is go-back-N: a sequence NAK, a timeout, or an RNR NAK (after
 * its delay) rewinds next_psn to the PSN to resend. retry_left counts the
 * rewinds left without progress; when it is used up the QP enters ERROR.
 * wait_ns, the ACK timeout, doubles at each timeout up to timeout_max_ns
 * and is reset by progress (see tessera/net/rdma.h).
 */
#include <tessera/string.h>

#include "net/rdma/rdma_priv.h"

static struct rdma_swqe *sq_at(struct rdma_requester *r, u32 off)
{
	return &r->sq[(r->sq_head + off) % r->sq_depth];
}

static bool wqe_done(const struct rdma_swqe *w)
{
	return w->wr.op == RDMA_WR_READ ? w->rcvd == w->npkts : w->acked;
}

static u8 send_opcode(const struct rdma_swqe *w, bool first, bool last)
{
	bool imm = w->wr.op == RDMA_WR_SEND_IMM || w->wr.op == RDMA_WR_WRITE_IMM;
	bool write = w->wr.op == RDMA_WR_WRITE || w->wr.op == RDMA_WR_WRITE_IMM;
	u8 base = write ? RC_WRITE_FIRST : RC_SEND_FIRST;

	if (first && last)
		return base + (imm ? 5 : 4); /* ONLY, ONLY_IMM */
	if (first)
		return base;
	if (!last)
		return base + 1; /* MIDDLE */
	return base + (imm ? 3 : 2); /* LAST, LAST_IMM */
}

static void req_send_pkt(struct rdma_qp *qp, struct rdma_swqe *w, u32 pkt)
{
	struct rdma_requester *r = &qp->req;
	u32 off = pkt * qp->conn.mtu, left = w->wr.sge.len - off;
	bool last = pkt + 1 == w->npkts;
	struct rc_tx tx = { .h = { .psn = psn_add(w->first_psn, pkt),
				   .va = w->wr.remote_addr + off,
				   .rkey = w->wr.rkey, .dma_len = left,
				   .imm = w->wr.imm } };

	if (w->wr.op == RDMA_WR_READ) {
		tx.h.opcode = RC_READ_REQUEST;
		tx.h.ackreq = true;
		w->read_base = pkt; /* responses restart at FIRST */
	} else {
		tx.h.opcode = send_opcode(w, pkt == 0, last);
		tx.payload = w->local + off;
		tx.len = MIN(left, qp->conn.mtu);
		tx.h.se = last && w->wr.op <= RDMA_WR_SEND_IMM;
		tx.h.ackreq = last || ++r->pkts_since_ackreq >= RDMA_ACK_EVERY;
	}
	if (tx.h.ackreq)
		r->pkts_since_ackreq = 0;
	rc_xmit(qp, &tx);
}

static void req_arm(struct rdma_qp *qp, u64 now)
{
	struct rdma_requester *r = &qp->req;

	r->deadline_ns = r->una_psn == r->next_psn ? 0 : now + r->wait_ns;
}

/* Send what the window allows, starting at next_psn. */
void rc_req_pump(struct rdma_qp *qp)
{
	struct rdma_requester *r = &qp->req;
	u64 now = netplat_now_ns();

	if (qp->state != RDMA_QPS_RTS || now < r->hold_until_ns)
		return;
	while (r->cur < r->sq_count &&
	       psn_diff(r->next_psn, r->una_psn) < RDMA_WINDOW) {
		struct rdma_swqe *w = sq_at(r, r->cur);

		req_send_pkt(qp, w, r->cur_pkt);
		r->cur_pkt = w->wr.op == RDMA_WR_READ ? w->npkts : r->cur_pkt + 1;
		r->next_psn = psn_add(w->first_psn, r->cur_pkt);
		if (r->cur_pkt == w->npkts) {
			r->cur++;
			r->cur_pkt = 0;
		}
	}
	if (!r->deadline_ns)
		req_arm(qp, now);
}

/* Point the send position at psn (which must be outstanding). */
static void req_rewind(struct rdma_qp *qp, u32 psn)
{
	struct rdma_requester *r = &qp->req;

	for (u32 off = 0; off < r->sq_count; off++) {
		struct rdma_swqe *w = sq_at(r, off);
		s32 d = psn_diff(psn, w->first_psn);

		if (d >= 0 && (u32)d < w->npkts) {
			r->cur = off;
			r->cur_pkt = (u32)d;
			r->next_psn = psn;
			return;
		}
	}
}

static void req_complete_head(struct rdma_qp *qp)
{
	struct rdma_requester *r = &qp->req;

	while (r->sq_count && wqe_done(sq_at(r, 0))) {
		struct rdma_swqe *w = sq_at(r, 0);
		struct rdma_wc wc = { .wr_id = w->wr.wr_id, .op = w->wr.op,
				      .qpn = qp->qpn };

		rdma_cq_push(qp->send_cq, &wc);
		r->sq_head = (r->sq_head + 1) % r->sq_depth;
		r->sq_count--;
		if (r->cur)
			r->cur--;
		else
			r->cur_pkt = 0;
	}
}

/* Everything before una is acknowledged: complete and move on. */
static void req_progress(struct rdma_qp *qp, u32 una)
{
	struct rdma_requester *r = &qp->req;

	if (psn_diff(una, r->una_psn) <= 0)
		return;
	r->una_psn = una;
	r->retry_left = qp->conn.retry_cnt;
	r->wait_ns = qp->conn.timeout_ns;
	req_complete_head(qp);
	if (psn_diff(una, r->next_psn) > 0)
		req_rewind(qp, una);
	req_arm(qp, netplat_now_ns());
}

/* Acknowledge PSNs up to and including psn, stopping at an incomplete
 * READ (only its responses acknowledge it). */
static void req_ack_upto(struct rdma_qp *qp, u32 psn)
{
	struct rdma_requester *r = &qp->req;
	u32 una = psn_add(psn, 1);

	for (u32 off = 0; off < r->sq_count; off++) {
		struct rdma_swqe *w = sq_at(r, off);
		u32 end = psn_add(w->first_psn, w->npkts);

		if (w->wr.op == RDMA_WR_READ && !wqe_done(w)) {
			if (psn_diff(una, psn_add(w->first_psn, w->rcvd)) > 0)
				una = psn_add(w->first_psn, w->rcvd);
			break;
		}
		if (psn_diff(una, end) < 0)
			break;
		w->acked = true;
	}
	req_progress(qp, una);
}

static void req_fail(struct rdma_qp *qp, u32 psn, enum rdma_wc_status st)
{
	struct rdma_requester *r = &qp->req;

	for (u32 off = 0; off < r->sq_count; off++) {
		struct rdma_swqe *w = sq_at(r, off);
		s32 d = psn_diff(psn, w->first_psn);

		if (!wqe_done(w) && (d < 0 || (u32)d < w->npkts)) {
			w->status = st;
			break;
		}
	}
	rdma_qp_error_locked(qp);
}

static void req_nak(struct rdma_qp *qp, u32 psn, u8 code)
{
	struct rdma_requester *r = &qp->req;

	req_ack_upto(qp, psn_add(psn, ROCE_PSN_MASK));
	if (code != NAK_PSN_SEQ_ERR) {
		req_fail(qp, psn, code == NAK_REMOTE_ACCESS ?
				  RDMA_WC_REM_ACCESS_ERR :
			  code == NAK_INVALID_REQ ? RDMA_WC_REM_INV_REQ_ERR :
						    RDMA_WC_REM_OP_ERR);
		return;
	}
	if (!r->retry_left) {
		req_fail(qp, psn, RDMA_WC_RETRY_EXC_ERR);
		return;
	}
	r->retry_left--;
	qp->dev->nif->stats.rdma_retrans++;
	req_rewind(qp, psn);
	rc_req_pump(qp);
}

static void req_rnr(struct rdma_qp *qp, u32 psn)
{
	struct rdma_requester *r = &qp->req;
	u64 now = netplat_now_ns();

	req_ack_upto(qp, psn_add(psn, ROCE_PSN_MASK));
	if (qp->conn.rnr_retry != 7 && !r->rnr_left--) {
		req_fail(qp, psn, RDMA_WC_RNR_RETRY_EXC_ERR);
		return;
	}
	req_rewind(qp, psn);
	r->hold_until_ns = now + qp->conn.rnr_delay_ns;
	r->deadline_ns = r->hold_until_ns + r->wait_ns;
}

static void req_ack_input(struct rdma_qp *qp, const struct roce_hdrs *h)
{
	struct rdma_requester *r = &qp->req;

	/* Valid ACKs name a PSN in [una - 1, next_psn - 1]. */
	if (psn_diff(h->psn, r->una_psn) < -1 ||
	    psn_diff(h->psn, r->next_psn) >= 0)
		return;
	switch (h->syndrome & AETH_TYPE_MASK) {
	case AETH_ACK:
		req_ack_upto(qp, h->psn);
		r->rnr_left = qp->conn.rnr_retry;
		break;
	case AETH_RNR_NAK:
		req_rnr(qp, h->psn);
		break;
	case AETH_NAK:
		req_nak(qp, h->psn, h->syndrome & AETH_VALUE_MASK);
		break;
	}
}

/* The READ that responses must be for: the oldest incomplete one, with
 * nothing but SENDs and WRITEs (implicitly acknowledged) before it. */
static struct rdma_swqe *req_read_head(struct rdma_requester *r)
{
	for (u32 off = 0; off < r->sq_count; off++) {
		struct rdma_swqe *w = sq_at(r, off);

		if (w->wr.op == RDMA_WR_READ && !wqe_done(w))
			return off < r->cur || (off == r->cur && r->cur_pkt) ?
			       w : NULL;
	}
	return NULL;
}

/* The opcode the next response must carry: a resumed READ request is
 * answered as a new one, FIRST to LAST. */
static u8 read_resp_opcode(const struct rdma_swqe *w)
{
	u32 i = w->rcvd - w->read_base, n = w->npkts - w->read_base;

	if (n == 1)
		return RC_READ_RESP_ONLY;
	if (i == 0)
		return RC_READ_RESP_FIRST;
	return i + 1 == n ? RC_READ_RESP_LAST : RC_READ_RESP_MIDDLE;
}

static void req_read_input(struct rdma_qp *qp, const struct roce_hdrs *h,
			   const u8 *payload, u32 len)
{
	struct rdma_requester *r = &qp->req;
	struct rdma_swqe *w = req_read_head(r);
	u32 off, want;

	if (!w || h->psn != psn_add(w->first_psn, w->rcvd) ||
	    h->opcode != read_resp_opcode(w)) {
		qp->dev->nif->stats.rdma_dup++;
		return; /* stale, duplicate or out of order: timeout recovers */
	}
	off = w->rcvd * qp->conn.mtu;
	want = MIN(qp->conn.mtu, w->wr.sge.len - off);
	if (len != want) {
		qp->dev->nif->stats.roce_bad_hdr++;
		return;
	}
	memcpy(w->local + off, payload, len);
	w->rcvd++;
	for (u32 i = 0; sq_at(r, i) != w; i++)
		sq_at(r, i)->acked = true;
	req_progress(qp, psn_add(h->psn, 1));
}

void rc_req_input(struct rdma_qp *qp, const struct roce_hdrs *h,
		  const u8 *payload, u32 len)
{
	if (h->opcode == RC_ACK)
		req_ack_input(qp, h);
	else
		req_read_input(qp, h, payload, len);
	if (qp->state == RDMA_QPS_RTS)
		rc_req_pump(qp);
}

void rc_req_tick(struct rdma_qp *qp, u64 now)
{
	struct rdma_requester *r = &qp->req;

	if (r->hold_until_ns && now >= r->hold_until_ns) {
		r->hold_until_ns = 0;
		rc_req_pump(qp);
	}
	if (!r->deadline_ns || now < r->deadline_ns)
		return;
	if (!r->retry_left) {
		req_fail(qp, r->una_psn, RDMA_WC_RETRY_EXC_ERR);
		return;
	}
	r->retry_left--;
	r->wait_ns = MIN(2 * r->wait_ns, qp->conn.timeout_max_ns);
	qp->dev->nif->stats.rdma_timeouts++;
	req_rewind(qp, r->una_psn);
	r->deadline_ns = 0;
	rc_req_pump(qp);
}

/* Complete every WQE: done ones successfully, the failed one with its
 * status, the rest flushed. */
void rc_req_flush(struct rdma_qp *qp)
{
	struct rdma_requester *r = &qp->req;

	while (r->sq_count) {
		struct rdma_swqe *w = sq_at(r, 0);
		struct rdma_wc wc = { .wr_id = w->wr.wr_id, .op = w->wr.op,
				      .qpn = qp->qpn, .status = w->status };

		if (wc.status == RDMA_WC_SUCCESS && !wqe_done(w))
			wc.status = RDMA_WC_WR_FLUSH_ERR;
		rdma_cq_push(qp->send_cq, &wc);
		r->sq_head = (r->sq_head + 1) % r->sq_depth;
		r->sq_count--;
	}
	r->cur = r->cur_pkt = 0;
	r->deadline_ns = 0;
}
