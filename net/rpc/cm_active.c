/*
 * The active side of connection setup (tessera/net/cm.h): CM_REQ until
 * CM_REP or CM_REJ, the connection recorded once made, and CM_DREQ until
 * CM_DREP when it is closed; and CM_STALE to senders to QPs we do not
 * have. Requests in progress live in cm->pending and are retried by the
 * tick hook; everything is under cm->lock.
 */
#include <tessera/errno.h>
#include <tessera/string.h>
#include <tessera/wire/byteorder.h>

#include "net/rdma/roce.h"
#include "net/rpc/cm_priv.h"

static struct cm_pending *cm_pending_free(struct cm *cm)
{
	for (int i = 0; i < CM_MAX_PENDING; i++)
		if (cm->pending[i].kind == CM_PEND_FREE)
			return &cm->pending[i];
	return NULL;
}

static void cm_send_pending(struct cm *cm, struct cm_pending *p, u64 now)
{
	struct cm_msg m;
	int err;

	if (p->kind == CM_PEND_CONNECT)
		cm_fill(cm, &m, CM_REQ, p->service, p->req_id,
			rdma_qp_num(p->qp), p->psn, cm_path_mtu(cm->nif));
	else
		cm_fill(cm, &m, CM_DREQ, p->service, p->req_id, 0, 0, 0);
	err = cm_send(cm, p->ip, &m);
	p->next_ns = now + (err == -EHOSTUNREACH ? CM_HOLD_RETRY_NS :
						   CM_RETRY_NS);
}

static struct cm_done cm_finish(struct cm_pending *p, int err)
{
	struct cm_done d = { p->done, p->arg, err };

	p->kind = CM_PEND_FREE;
	return d;
}

int cm_connect_start(struct cm *cm, u32 ip, u16 service, struct rdma_qp *qp,
		     void *cookie, u64 timeout_ns,
		     void (*done)(void *arg, int err), void *arg)
{
	u64 now = netplat_now_ns();
	struct cm_pending *p;

	netplat_lock(cm->lock);
	p = cm_pending_free(cm);
	if (p) {
		*p = (struct cm_pending){
			.kind = CM_PEND_CONNECT, .ip = ip, .service = service,
			.qp = qp, .cookie = cookie,
			.psn = netplat_random() & ROCE_PSN_MASK,
			.req_id = (u64)netplat_random() << 32 | netplat_random(),
			.deadline_ns = now + timeout_ns, .done = done,
			.arg = arg };
		cm->st.req_out++;
		cm_send_pending(cm, p, now);
	}
	netplat_unlock(cm->lock);
	return p ? 0 : -ENOSPC;
}

void cm_disc_start(struct cm *cm, u32 ip, u16 service, u64 req_id)
{
	u64 now = netplat_now_ns();
	struct cm_pending *p = cm_pending_free(cm);
	struct cm_pending once = { .kind = CM_PEND_DISC };

	if (!p)
		p = &once; /* no room to retry: send it once */
	*p = (struct cm_pending){ .kind = CM_PEND_DISC, .ip = ip,
				  .service = service, .req_id = req_id,
				  .deadline_ns = now + CM_DISC_TIMEOUT_NS };
	cm->st.disc_out++;
	cm_send_pending(cm, p, now);
}

bool cm_disconnect(struct cm *cm, struct rdma_qp *qp)
{
	bool found = false;

	netplat_lock(cm->lock);
	for (int i = 0; i < CM_MAX_CONNS && !found; i++) {
		struct cm_conn *c = &cm->conns[i];

		if (!c->used || !c->active || c->qp != qp)
			continue;
		found = true;
		c->used = false;
		cm->st.conns--;
		cm_disc_start(cm, c->ip, c->service, c->req_id);
	}
	netplat_unlock(cm->lock);
	return found;
}

/* Queue a CM_STALE for ip (a new stranger) unless one is queued. */
static void cm_stale_queue(struct cm *cm, u32 ip, u64 now)
{
	struct cm_stale_todo *free = NULL;

	for (int i = 0; i < CM_STRANGERS_PER_TICK; i++) {
		if (cm->stale_todo[i].ip == ip)
			return;
		if (!cm->stale_todo[i].ip && !free)
			free = &cm->stale_todo[i];
	}
	if (free)
		*free = (struct cm_stale_todo){ ip, now + CM_STALE_TRY_NS };
}

/* Tell the senders to QPs we do not have who we are now; one whose
 * address is not resolved yet (we may have just booted) is tried again
 * at the next tick. */
static void cm_tell_strangers(struct cm *cm, u64 now)
{
	u32 ips[CM_STRANGERS_PER_TICK];
	int n = rdma_take_strangers(cm->nif, ips, CM_STRANGERS_PER_TICK);
	struct cm_msg m;

	for (int i = 0; i < n; i++)
		cm_stale_queue(cm, ips[i], now);
	cm_fill(cm, &m, CM_STALE, 0, 0, 0, 0, 0);
	for (int i = 0; i < CM_STRANGERS_PER_TICK; i++) {
		struct cm_stale_todo *s = &cm->stale_todo[i];

		if (!s->ip)
			continue;
		if (!cm_send(cm, s->ip, &m)) {
			cm->st.stale_out++;
			s->ip = 0;
		} else if (now >= s->until_ns) {
			s->ip = 0;
		}
	}
}

void cm_tick(void *arg)
{
	struct cm *cm = arg;
	struct cm_done done[CM_MAX_PENDING];
	u64 now = netplat_now_ns();
	int n = 0;

	netplat_lock(cm->lock);
	cm_tell_strangers(cm, now);
	for (int i = 0; i < CM_MAX_PENDING; i++) {
		struct cm_pending *p = &cm->pending[i];

		if (p->kind == CM_PEND_FREE)
			continue;
		if (now >= p->deadline_ns && p->kind == CM_PEND_DISC) {
			p->kind = CM_PEND_FREE; /* the peer may be gone */
		} else if (now >= p->deadline_ns) {
			cm->st.timeouts++;
			done[n++] = cm_finish(p, -ETIMEDOUT);
		} else if (now >= p->next_ns) {
			if (p->kind == CM_PEND_DISC)
				cm->st.disc_retry++;
			else
				cm->st.req_retry++;
			cm_send_pending(cm, p, now);
		}
	}
	netplat_unlock(cm->lock);
	for (int i = 0; i < n; i++)
		done[i].fn(done[i].arg, done[i].err);
}

/* A CM_REP for p: connect its QP and record the connection. */
static int cm_connected(struct cm *cm, struct cm_pending *p,
			const struct cm_msg *m)
{
	u32 mtu = MIN(get_be32(m->mtu), cm_path_mtu(cm->nif));
	struct rdma_qp_conn qc = cm_qp_conn(p->ip, get_be32(m->qpn), p->psn,
					    get_be32(m->psn), mtu);
	struct cm_conn *c = cm_conn_free_slot(cm);
	int err = c ? rdma_qp_connect(p->qp, &qc) : -ENOSPC;

	if (err) {
		cm_disc_start(cm, p->ip, p->service, p->req_id);
		return err;
	}
	*c = (struct cm_conn){ .used = true, .active = true, .ip = p->ip,
			       .service = p->service, .req_id = p->req_id,
			       .peer_inc = get_be64(m->inc), .qp = p->qp,
			       .cookie = p->cookie };
	cm->st.conns++;
	return 0;
}

struct cm_done cm_answer_in(struct cm *cm, u32 ip, const struct cm_msg *m)
{
	u64 req_id = get_be64(m->req_id);

	for (int i = 0; i < CM_MAX_PENDING; i++) {
		struct cm_pending *p = &cm->pending[i];

		if (p->kind != CM_PEND_CONNECT || p->ip != ip ||
		    p->req_id != req_id)
			continue;
		if (m->type == CM_REJ) {
			cm->st.rej_in++;
			return cm_finish(p, -(int)get_be32(m->status));
		}
		cm->st.rep_in++;
		return cm_finish(p, cm_connected(cm, p, m));
	}
	cm->st.bad++; /* a late or repeated answer */
	return (struct cm_done){ NULL, NULL, 0 };
}

void cm_drep_in(struct cm *cm, u32 ip, const struct cm_msg *m)
{
	u64 req_id = get_be64(m->req_id);

	for (int i = 0; i < CM_MAX_PENDING; i++) {
		struct cm_pending *p = &cm->pending[i];

		if (p->kind == CM_PEND_DISC && p->ip == ip &&
		    p->req_id == req_id) {
			cm->st.drep_in++;
			p->kind = CM_PEND_FREE;
			return;
		}
	}
}
