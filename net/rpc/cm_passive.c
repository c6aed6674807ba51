/*
 * The passive side of connection setup (tessera/net/cm.h): a CM_REQ
 * becomes a new connection beside any others from the same address (or
 * gets its CM_REP again if it is a repeat), and a CM_DREQ releases one.
 * Everything is under cm->lock.
 */
#include <tessera/errno.h>
#include <tessera/string.h>
#include <tessera/wire/byteorder.h>

#include "net/rdma/roce.h"
#include "net/rpc/cm_priv.h"

static struct cm_conn *cm_conn_passive(struct cm *cm, u32 ip, u64 req_id)
{
	for (int i = 0; i < CM_MAX_CONNS; i++) {
		struct cm_conn *c = &cm->conns[i];

		if (c->used && !c->active && c->ip == ip && c->req_id == req_id)
			return c;
	}
	return NULL;
}

static bool cm_recently_closed(struct cm *cm, u32 ip, u64 req_id)
{
	for (int i = 0; i < CM_CLOSED_RING; i++)
		if (cm->closed[i].ip == ip && cm->closed[i].req_id == req_id)
			return true;
	return false;
}

static void cm_reject(struct cm *cm, u32 ip, const struct cm_msg *req,
		      int err)
{
	struct cm_msg m;

	cm->st.rej_out++;
	cm_fill(cm, &m, CM_REJ, get_be16(req->service), get_be64(req->req_id),
		0, 0, 0);
	put_be32(m.status, (u32)-err);
	cm_send(cm, ip, &m);
}

/* Accept a new connection into slot c and build its CM_REP. */
static int cm_accept(struct cm *cm, struct cm_conn *c,
		     const struct cm_listener *l, u32 ip,
		     const struct cm_msg *req)
{
	u32 psn = netplat_random() & ROCE_PSN_MASK;
	u32 mtu = MIN(get_be32(req->mtu), cm_path_mtu(cm->nif));
	struct rdma_qp_conn qc;
	struct rdma_qp *qp;
	void *cookie;
	int err;

	if (mtu < RDMA_MTU_MIN || (mtu & (mtu - 1)))
		return -EINVAL;
	err = l->accept(l->arg, ip, &qp, &cookie);
	if (err)
		return err;
	qc = cm_qp_conn(ip, get_be32(req->qpn), psn, get_be32(req->psn), mtu);
	err = rdma_qp_connect(qp, &qc);
	if (err) {
		l->release(l->arg, cookie);
		return err;
	}
	*c = (struct cm_conn){ .used = true, .ip = ip,
			       .service = get_be16(req->service),
			       .req_id = get_be64(req->req_id),
			       .peer_inc = get_be64(req->inc),
			       .cookie = cookie };
	cm->st.conns++;
	cm_fill(cm, (struct cm_msg *)c->rep, CM_REP, c->service, c->req_id,
		rdma_qp_num(qp), psn, mtu);
	return 0;
}

void cm_req_in(struct cm *cm, u32 ip, const struct cm_msg *m)
{
	const struct cm_listener *l;
	struct cm_conn *c;
	int err;

	cm->st.req_in++;
	if (cm_recently_closed(cm, ip, get_be64(m->req_id))) {
		cm->st.req_dup++;
		return;
	}
	c = cm_conn_passive(cm, ip, get_be64(m->req_id));
	if (c) {
		cm->st.req_dup++;
	} else {
		l = cm_listener_find(cm, get_be16(m->service));
		c = cm_conn_free_slot(cm);
		err = !l ? -ECONNREFUSED : !c ? -ENOSPC :
					     cm_accept(cm, c, l, ip, m);
		if (err) {
			cm_reject(cm, ip, m, err);
			return;
		}
	}
	cm->st.rep_out++;
	cm_send(cm, ip, (const struct cm_msg *)c->rep);
}

void cm_dreq_in(struct cm *cm, u32 ip, const struct cm_msg *m)
{
	struct cm_conn *c = cm_conn_passive(cm, ip, get_be64(m->req_id));
	struct cm_msg rep;

	cm->st.dreq_in++;
	if (c) {
		cm->closed[cm->closed_next++ % CM_CLOSED_RING] =
			(struct cm_closed){ ip, c->req_id };
		cm_conn_release(cm, c);
	}
	cm_fill(cm, &rep, CM_DREP, get_be16(m->service), get_be64(m->req_id),
		0, 0, 0);
	cm_send(cm, ip, &rep);
}
