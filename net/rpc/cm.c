/*
 * Connection setup (see tessera/net/cm.h for the protocol and its rules).
 *
 * Lock order: cm->lock, then listener locks, then nif->lock. The UDP
 * handler is an unlocked one (udp_bind_unlocked) and the retry timer a
 * tick hook, so both run with no nif->lock held and may take cm->lock.
 * Completion callbacks (done) run after cm->lock is released.
 */
#include <tessera/errno.h>
#include <tessera/lockrank.h>
#include <tessera/net/cm.h>
#include <tessera/net/plat.h>
#include <tessera/net/rdma.h>
#include <tessera/net/stack.h>
#include <tessera/string.h>
#include <tessera/wire/byteorder.h>
#include <tessera/wire/rdma_cm.h>

#include "net/rdma/roce.h"

#define CM_HOLD_RETRY_NS (2ull * 1000000ull) /* after -EHOSTUNREACH (ARP) */
#define CM_MAX_LISTENERS 4

/* An active request in progress. */
struct cm_pending {
	bool used;
	u32 ip, psn;
	u16 service;
	u64 req_id, deadline_ns, next_ns;
	struct rdma_qp *qp;
	void (*done)(void *arg, int err);
	void *arg;
};

/* A passive connection: what was accepted for (ip, service). */
struct cm_conn {
	bool used;
	u32 ip;
	u16 service;
	u64 req_id;
	void *cookie;
	const struct cm_listener *l;
	u8 rep[sizeof(struct cm_msg)]; /* resent for a repeated CM_REQ */
};

struct cm {
	struct net_if *nif;
	struct netplat_lock *lock;
	struct cm_listener listeners[CM_MAX_LISTENERS]; /* service 0: free */
	struct cm_pending pending[CM_MAX_PENDING];
	struct cm_conn conns[CM_MAX_CONNS];
	struct cm_stats st;
};

/* A finished active request, to report once cm->lock is released. */
struct cm_done {
	void (*fn)(void *arg, int err);
	void *arg;
	int err;
};

u32 cm_path_mtu(struct net_if *nif)
{
	u32 mtu = RDMA_MTU_MAX;
	u32 over = (u32)(NET_UDP_PAYLOAD_OFF - NET_IP_OFF) + 28 + 4;

	while (mtu > RDMA_MTU_MIN && mtu + over > net_if_mtu(nif))
		mtu >>= 1;
	return mtu;
}

static void cm_fill(struct cm *cm, struct cm_msg *m, u8 type, u16 service,
		    u64 req_id, u32 qpn, u32 psn, u32 mtu)
{
	u32 ip = net_if_ip(cm->nif);

	memset(m, 0, sizeof(*m));
	put_be32(m->magic, CM_MAGIC);
	m->version = CM_VERSION;
	m->type = type;
	put_be16(m->service, service);
	put_be64(m->req_id, req_id);
	put_be32(m->qpn, qpn);
	put_be32(m->psn, psn);
	put_be32(m->mtu, mtu);
	put_be32(m->ip, ip);
	m->gid[10] = m->gid[11] = 0xff;
	put_be32(m->gid + 12, ip);
}

static int cm_send(struct cm *cm, u32 ip, const struct cm_msg *m)
{
	return udp_send(cm->nif, ip, CM_UDP_PORT, CM_UDP_PORT, m, sizeof(*m));
}

static void cm_send_pending(struct cm *cm, struct cm_pending *p, u64 now)
{
	struct cm_msg m;
	int err;

	cm_fill(cm, &m, CM_REQ, p->service, p->req_id, rdma_qp_num(p->qp),
		p->psn, cm_path_mtu(cm->nif));
	err = cm_send(cm, p->ip, &m);
	p->next_ns = now + (err == -EHOSTUNREACH ? CM_HOLD_RETRY_NS :
						   CM_RETRY_NS);
}

static struct cm_done cm_finish(struct cm_pending *p, int err)
{
	struct cm_done d = { p->done, p->arg, err };

	p->used = false;
	return d;
}

static void cm_report(struct cm_done *d, int n)
{
	for (int i = 0; i < n; i++)
		d[i].fn(d[i].arg, d[i].err);
}

static struct rdma_qp_conn cm_qp_conn(u32 ip, u32 qpn, u32 sq_psn,
				      u32 rq_psn, u32 mtu)
{
	return (struct rdma_qp_conn){ .dest_ip = ip, .dest_qpn = qpn,
				      .sq_psn = sq_psn, .rq_psn = rq_psn,
				      .mtu = mtu,
				      .timeout_ns = CM_QP_TIMEOUT_NS,
				      .retry_cnt = CM_QP_RETRY_CNT,
				      .rnr_retry = 7 };
}

int cm_connect_start(struct cm *cm, u32 ip, u16 service, struct rdma_qp *qp,
		     u64 timeout_ns, void (*done)(void *arg, int err),
		     void *arg)
{
	u64 now = netplat_now_ns();
	int err = -ENOSPC;

	netplat_lock(cm->lock);
	for (int i = 0; i < CM_MAX_PENDING && err; i++) {
		struct cm_pending *p = &cm->pending[i];

		if (p->used)
			continue;
		*p = (struct cm_pending){
			.used = true, .ip = ip, .service = service, .qp = qp,
			.psn = netplat_random() & ROCE_PSN_MASK,
			.req_id = (u64)netplat_random() << 32 | netplat_random(),
			.deadline_ns = now + timeout_ns, .done = done,
			.arg = arg };
		cm->st.req_out++;
		cm_send_pending(cm, p, now);
		err = 0;
	}
	netplat_unlock(cm->lock);
	return err;
}

static void cm_tick(void *arg)
{
	struct cm *cm = arg;
	struct cm_done done[CM_MAX_PENDING];
	u64 now = netplat_now_ns();
	int n = 0;

	netplat_lock(cm->lock);
	for (int i = 0; i < CM_MAX_PENDING; i++) {
		struct cm_pending *p = &cm->pending[i];

		if (!p->used)
			continue;
		if (now >= p->deadline_ns) {
			cm->st.timeouts++;
			done[n++] = cm_finish(p, -ETIMEDOUT);
		} else if (now >= p->next_ns) {
			cm->st.req_retry++;
			cm_send_pending(cm, p, now);
		}
	}
	netplat_unlock(cm->lock);
	cm_report(done, n);
}

/* CM_REP or CM_REJ for one of our requests. */
static void cm_answer_in(struct cm *cm, u32 ip, const struct cm_msg *m)
{
	struct cm_done d = { NULL, NULL, 0 };
	u64 req_id = get_be64(m->req_id);

	netplat_lock(cm->lock);
	for (int i = 0; i < CM_MAX_PENDING; i++) {
		struct cm_pending *p = &cm->pending[i];
		struct rdma_qp_conn c;
		u32 mtu;

		if (!p->used || p->ip != ip || p->req_id != req_id)
			continue;
		if (m->type == CM_REJ) {
			cm->st.rej_in++;
			d = cm_finish(p, -(int)get_be32(m->status));
			break;
		}
		cm->st.rep_in++;
		mtu = MIN(get_be32(m->mtu), cm_path_mtu(cm->nif));
		c = cm_qp_conn(ip, get_be32(m->qpn), p->psn,
			       get_be32(m->psn), mtu);
		d = cm_finish(p, rdma_qp_connect(p->qp, &c));
		break;
	}
	if (!d.fn)
		cm->st.bad++; /* a late or repeated answer */
	netplat_unlock(cm->lock);
	if (d.fn)
		cm_report(&d, 1);
}

static struct cm_conn *cm_conn_find(struct cm *cm, u32 ip, u16 service)
{
	for (int i = 0; i < CM_MAX_CONNS; i++)
		if (cm->conns[i].used && cm->conns[i].ip == ip &&
		    cm->conns[i].service == service)
			return &cm->conns[i];
	return NULL;
}

static struct cm_conn *cm_conn_free_slot(struct cm *cm)
{
	for (int i = 0; i < CM_MAX_CONNS; i++)
		if (!cm->conns[i].used)
			return &cm->conns[i];
	return NULL;
}

static const struct cm_listener *cm_listener_find(struct cm *cm, u16 svc)
{
	for (int i = 0; i < CM_MAX_LISTENERS; i++)
		if (cm->listeners[i].service == svc)
			return &cm->listeners[i];
	return NULL;
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
	*c = (struct cm_conn){ .used = true, .ip = ip, .l = l,
			       .service = get_be16(req->service),
			       .req_id = get_be64(req->req_id),
			       .cookie = cookie };
	cm_fill(cm, (struct cm_msg *)c->rep, CM_REP, c->service, c->req_id,
		rdma_qp_num(qp), psn, mtu);
	return 0;
}

static void cm_req_in(struct cm *cm, u32 ip, const struct cm_msg *m)
{
	u16 service = get_be16(m->service);
	const struct cm_listener *l;
	struct cm_conn *c;
	int err;

	netplat_lock(cm->lock);
	cm->st.req_in++;
	c = cm_conn_find(cm, ip, service);
	if (c && c->req_id == get_be64(m->req_id)) {
		cm->st.req_dup++;
		goto out_send_rep;
	}
	if (c) {
		cm->st.replaced++;
		c->used = false;
		c->l->release(c->l->arg, c->cookie);
	}
	l = cm_listener_find(cm, service);
	c = cm_conn_free_slot(cm);
	err = !l ? -ECONNREFUSED : !c ? -ENOSPC :
				     cm_accept(cm, c, l, ip, m);
	if (err) {
		cm_reject(cm, ip, m, err);
		netplat_unlock(cm->lock);
		return;
	}
out_send_rep:
	cm->st.rep_out++;
	cm_send(cm, ip, (const struct cm_msg *)c->rep);
	netplat_unlock(cm->lock);
}

static bool cm_valid(const struct udp_dgram *d, const struct cm_msg *m)
{
	return d->len == sizeof(*m) && get_be32(m->magic) == CM_MAGIC &&
	       m->version == CM_VERSION && get_be32(m->ip) == d->src_ip &&
	       m->type >= CM_REQ && m->type <= CM_REJ;
}

static void cm_input(struct net_if *nif, const struct udp_dgram *d,
		     void *arg)
{
	struct cm *cm = arg;
	struct cm_msg m;

	memcpy(&m, d->data, MIN(d->len, sizeof(m)));
	if (!cm_valid(d, &m)) {
		netplat_lock(cm->lock);
		cm->st.bad++;
		netplat_unlock(cm->lock);
		return;
	}
	if (m.type == CM_REQ)
		cm_req_in(cm, d->src_ip, &m);
	else
		cm_answer_in(cm, d->src_ip, &m);
}

struct cm_wait {
	struct cm *cm;
	struct netplat_cond *cond;
	bool done;
	int err;
};

static void cm_wait_done(void *arg, int err)
{
	struct cm_wait *w = arg;

	netplat_lock(w->cm->lock);
	w->done = true;
	w->err = err;
	netplat_cond_broadcast(w->cond);
	netplat_unlock(w->cm->lock);
}

int cm_connect(struct cm *cm, u32 ip, u16 service, struct rdma_qp *qp,
	       u64 timeout_ns)
{
	struct cm_wait w = { .cm = cm, .cond = netplat_cond_new() };
	int err;

	if (!w.cond)
		return -ENOMEM;
	err = cm_connect_start(cm, ip, service, qp, timeout_ns, cm_wait_done,
			       &w);
	netplat_lock(cm->lock);
	while (!err && !w.done)
		netplat_cond_wait(w.cond, cm->lock,
				  netplat_now_ns() + CM_RETRY_NS);
	netplat_unlock(cm->lock);
	netplat_cond_free(w.cond);
	return err ? err : w.err;
}

int cm_create(struct net_if *nif, struct cm **out)
{
	struct cm *cm = netplat_alloc(sizeof(*cm));
	int err = -ENOMEM;

	if (!cm)
		return -ENOMEM;
	cm->nif = nif;
	cm->lock = netplat_lock_new("cm", LOCK_RANK_CM);
	if (!cm->lock)
		goto out_free_cm;
	err = udp_bind_unlocked(nif, CM_UDP_PORT, cm_input, cm);
	if (err)
		goto out_free_lock;
	err = net_if_add_tick(nif, cm_tick, cm);
	if (err)
		goto out_unbind;
	*out = cm;
	return 0;

out_unbind:
	udp_unbind(nif, CM_UDP_PORT);
out_free_lock:
	netplat_lock_free(cm->lock);
out_free_cm:
	netplat_free(cm);
	return err;
}

void cm_destroy(struct cm *cm)
{
	net_if_del_tick(cm->nif, cm_tick, cm);
	udp_unbind(cm->nif, CM_UDP_PORT);
	netplat_lock_free(cm->lock);
	netplat_free(cm);
}

int cm_listen(struct cm *cm, const struct cm_listener *l)
{
	int err = -ENOSPC;

	if (!l->service)
		return -EINVAL;
	netplat_lock(cm->lock);
	if (cm_listener_find(cm, l->service))
		err = -EADDRINUSE;
	for (int i = 0; i < CM_MAX_LISTENERS && err == -ENOSPC; i++) {
		if (!cm->listeners[i].service) {
			cm->listeners[i] = *l;
			err = 0;
		}
	}
	netplat_unlock(cm->lock);
	return err;
}

void cm_unlisten(struct cm *cm, u16 service)
{
	netplat_lock(cm->lock);
	for (int i = 0; i < CM_MAX_LISTENERS; i++)
		if (cm->listeners[i].service == service)
			cm->listeners[i].service = 0;
	for (int i = 0; i < CM_MAX_CONNS; i++)
		if (cm->conns[i].service == service)
			cm->conns[i].used = false;
	netplat_unlock(cm->lock);
}

void cm_stats(struct cm *cm, struct cm_stats *out)
{
	netplat_lock(cm->lock);
	*out = cm->st;
	netplat_unlock(cm->lock);
}
