/*
 * Queue pairs: creation, connection (INIT -> RTS), the error state, and
 * posting work. Posting a send allocates the WQE's PSNs and starts
 * transmission at once (rc_req_pump).
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "net/rdma/rdma_priv.h"

#define QP_INDEX_BITS 8

static int qp_insert(struct rdma_dev *dev, struct rdma_qp *qp)
{
	for (u32 i = 2; i < RDMA_MAX_QP; i++) { /* QP0, QP1 are reserved */
		if (!dev->qp[i]) {
			dev->gen++;
			qp->qpn = (dev->gen << QP_INDEX_BITS | i) &
				  ROCE_QPN_MASK;
			dev->qp[i] = qp;
			return 0;
		}
	}
	return -ENOSPC;
}

static int qp_alloc_queues(struct rdma_qp *qp, const struct rdma_qp_init *in)
{
	qp->req.sq_depth = in->sq_depth;
	qp->resp.rq_depth = in->rq_depth;
	qp->req.sq = netplat_alloc(in->sq_depth * sizeof(*qp->req.sq));
	qp->resp.rq = netplat_alloc(in->rq_depth * sizeof(*qp->resp.rq));
	if (qp->req.sq && qp->resp.rq)
		return 0;
	netplat_free(qp->req.sq);
	netplat_free(qp->resp.rq);
	return -ENOMEM;
}

int rdma_qp_create(struct rdma_pd *pd, const struct rdma_qp_init *init,
		   struct rdma_qp **out)
{
	struct net_if *nif = pd->dev->nif;
	struct rdma_qp *qp;
	int err;

	if (!init->sq_depth || !init->rq_depth || !init->send_cq ||
	    !init->recv_cq)
		return -EINVAL;
	qp = netplat_alloc(sizeof(*qp));
	if (!qp)
		return -ENOMEM;
	*qp = (struct rdma_qp){ .pd = pd, .dev = pd->dev,
				.send_cq = init->send_cq,
				.recv_cq = init->recv_cq,
				.state = RDMA_QPS_INIT };
	err = qp_alloc_queues(qp, init);
	if (err)
		goto out_free_qp;
	netplat_lock(nif->lock);
	err = qp_insert(pd->dev, qp);
	if (!err) {
		pd->users++;
		qp->send_cq->users++;
		qp->recv_cq->users++;
	}
	netplat_unlock(nif->lock);
	if (err)
		goto out_free_queues;
	*out = qp;
	return 0;

out_free_queues:
	netplat_free(qp->req.sq);
	netplat_free(qp->resp.rq);
out_free_qp:
	netplat_free(qp);
	return err;
}

static bool mtu_valid(u32 mtu)
{
	return mtu >= RDMA_MTU_MIN && mtu <= RDMA_MTU_MAX && !(mtu & (mtu - 1));
}

static void conn_defaults(struct rdma_qp_conn *c)
{
	if (!c->timeout_ns)
		c->timeout_ns = RDMA_TIMEOUT_NS;
	if (!c->timeout_max_ns)
		c->timeout_max_ns = RDMA_TIMEOUT_MAX_NS;
	c->timeout_max_ns = MAX(c->timeout_max_ns, c->timeout_ns);
	if (!c->rnr_delay_ns)
		c->rnr_delay_ns = RDMA_RNR_DELAY_NS;
	c->sq_psn &= ROCE_PSN_MASK;
	c->rq_psn &= ROCE_PSN_MASK;
}

int rdma_qp_connect(struct rdma_qp *qp, const struct rdma_qp_conn *conn)
{
	struct net_if *nif = qp->dev->nif;
	u32 frame = (u32)(NET_UDP_PAYLOAD_OFF - NET_IP_OFF) + 28 + 4 +
		    conn->mtu;
	int err = 0;

	if (!mtu_valid(conn->mtu) || frame > nif->mtu)
		return -EINVAL;
	netplat_lock(nif->lock);
	if (qp->state != RDMA_QPS_INIT) {
		err = -EINVAL;
	} else {
		qp->conn = *conn;
		conn_defaults(&qp->conn);
		qp->req.next_psn = qp->req.una_psn = qp->conn.sq_psn;
		qp->req.max_psn = qp->conn.sq_psn;
		qp->req.retry_left = qp->conn.retry_cnt;
		qp->req.wait_ns = qp->conn.timeout_ns;
		qp->req.rnr_left = qp->conn.rnr_retry;
		qp->resp.epsn = qp->conn.rq_psn;
		qp->state = RDMA_QPS_RTS;
	}
	netplat_unlock(nif->lock);
	return err;
}

/* Enter ERROR: flush every outstanding send and receive. */
void rdma_qp_error_locked(struct rdma_qp *qp)
{
	qp->state = RDMA_QPS_ERROR;
	rc_req_flush(qp);
	rc_resp_flush(qp);
}

void rdma_qp_reset(struct rdma_qp *qp)
{
	netplat_lock(qp->dev->nif->lock);
	rdma_qp_error_locked(qp);
	netplat_unlock(qp->dev->nif->lock);
}

int rdma_qp_destroy(struct rdma_qp *qp)
{
	struct rdma_dev *dev = qp->dev;

	netplat_lock(dev->nif->lock);
	rdma_qp_error_locked(qp);
	dev->qp[qp->qpn & (RDMA_MAX_QP - 1)] = NULL;
	qp->pd->users--;
	qp->send_cq->users--;
	qp->recv_cq->users--;
	netplat_unlock(dev->nif->lock);
	netplat_free(qp->req.sq);
	netplat_free(qp->resp.rq);
	netplat_free(qp);
	return 0;
}

struct rdma_qp *rdma_qp_lookup(struct rdma_dev *dev, u32 qpn)
{
	struct rdma_qp *qp = dev->qp[qpn & (RDMA_MAX_QP - 1)];

	return qp && qp->qpn == qpn ? qp : NULL;
}

u32 rdma_qp_num(const struct rdma_qp *qp)
{
	return qp->qpn;
}

enum rdma_qp_state rdma_qp_state(struct rdma_qp *qp)
{
	enum rdma_qp_state s;

	netplat_lock(qp->dev->nif->lock);
	s = qp->state;
	netplat_unlock(qp->dev->nif->lock);
	return s;
}

static u32 wr_npkts(const struct rdma_send_wr *wr, u32 mtu)
{
	return wr->sge.len ? (wr->sge.len + mtu - 1) / mtu : 1;
}

static int post_send_locked(struct rdma_qp *qp, const struct rdma_send_wr *wr)
{
	struct rdma_requester *r = &qp->req;
	u32 access = wr->op == RDMA_WR_READ ? RDMA_ACCESS_LOCAL_WRITE : 0;
	struct rdma_swqe *w;
	u8 *local;

	if (qp->state == RDMA_QPS_INIT)
		return -ENOTCONN;
	if (r->sq_count == r->sq_depth)
		return -ENOBUFS;
	if (wr->op > RDMA_WR_READ || wr->sge.len > RDMA_MAX_MSG)
		return -EINVAL;
	local = rdma_sge_resolve(qp->pd, &wr->sge, access);
	w = &r->sq[(r->sq_head + r->sq_count++) % r->sq_depth];
	*w = (struct rdma_swqe){ .wr = *wr, .local = local,
				 .first_psn = r->max_psn,
				 .npkts = wr_npkts(wr, qp->conn.mtu) };
	r->max_psn = psn_add(r->max_psn, w->npkts);
	if (!local)
		w->status = RDMA_WC_LOC_PROT_ERR;
	if (!local || qp->state == RDMA_QPS_ERROR)
		rdma_qp_error_locked(qp);
	else
		rc_req_pump(qp);
	return 0;
}

int rdma_post_send(struct rdma_qp *qp, const struct rdma_send_wr *wr)
{
	int err;

	netplat_lock(qp->dev->nif->lock);
	err = post_send_locked(qp, wr);
	netplat_unlock(qp->dev->nif->lock);
	return err;
}

int rdma_post_recv(struct rdma_qp *qp, const struct rdma_recv_wr *wr)
{
	struct rdma_responder *r = &qp->resp;
	int err = 0;
	u8 *local;

	netplat_lock(qp->dev->nif->lock);
	local = rdma_sge_resolve(qp->pd, &wr->sge, RDMA_ACCESS_LOCAL_WRITE);
	if (r->rq_count == r->rq_depth)
		err = -ENOBUFS;
	else if (!local)
		err = -EFAULT;
	else
		r->rq[(r->rq_head + r->rq_count++) % r->rq_depth] =
			(struct rdma_rwqe){ *wr, local };
	if (!err && qp->state == RDMA_QPS_ERROR)
		rc_resp_flush(qp);
	netplat_unlock(qp->dev->nif->lock);
	return err;
}
