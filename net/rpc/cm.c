/*
 * Connection setup (see tessera/net/cm.h for the protocol and its rules):
 * the CM object, its listeners, messages in and out, the connection
 * table and what a peer's restart releases. Connecting and disconnecting
 * are in cm_active.c, accepting in cm_passive.c.
 *
 * Lock order: cm->lock, then listener locks, then nif->lock. The UDP
 * handler is an unlocked one (udp_bind_unlocked) and the retry timer a
 * tick hook, so both run with no nif->lock held and may take cm->lock.
 * Completion callbacks (done) run after cm->lock is released.
 */
#include <tessera/errno.h>
#include <tessera/lockrank.h>
#include <tessera/net/stack.h>
#include <tessera/string.h>
#include <tessera/wire/byteorder.h>

#include "net/rdma/roce.h"
#include "net/rpc/cm_priv.h"

u32 cm_path_mtu(struct net_if *nif)
{
	u32 mtu = RDMA_MTU_MAX;
	u32 over = (u32)(NET_UDP_PAYLOAD_OFF - NET_IP_OFF) + 28 + 4;

	while (mtu > RDMA_MTU_MIN && mtu + over > net_if_mtu(nif))
		mtu >>= 1;
	return mtu;
}

void cm_fill(struct cm *cm, struct cm_msg *m, u8 type, u16 service,
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
	put_be64(m->inc, cm->inc);
}

int cm_send(struct cm *cm, u32 ip, const struct cm_msg *m)
{
	return udp_send(cm->nif, ip, CM_UDP_PORT, CM_UDP_PORT, m, sizeof(*m));
}

struct rdma_qp_conn cm_qp_conn(u32 ip, u32 qpn, u32 sq_psn, u32 rq_psn,
			       u32 mtu)
{
	return (struct rdma_qp_conn){ .dest_ip = ip, .dest_qpn = qpn,
				      .sq_psn = sq_psn, .rq_psn = rq_psn,
				      .mtu = mtu,
				      .timeout_ns = CM_QP_TIMEOUT_NS,
				      .timeout_max_ns = CM_QP_TIMEOUT_MAX_NS,
				      .retry_cnt = CM_QP_RETRY_CNT,
				      .rnr_retry = 7 };
}

const struct cm_listener *cm_listener_find(struct cm *cm, u16 service)
{
	for (int i = 0; i < CM_MAX_LISTENERS; i++)
		if (cm->listeners[i].service == service)
			return &cm->listeners[i];
	return NULL;
}

struct cm_conn *cm_conn_free_slot(struct cm *cm)
{
	for (int i = 0; i < CM_MAX_CONNS; i++)
		if (!cm->conns[i].used)
			return &cm->conns[i];
	return NULL;
}

void cm_conn_release(struct cm *cm, struct cm_conn *c)
{
	const struct cm_listener *l = cm_listener_find(cm, c->service);

	c->used = false;
	cm->st.conns--;
	if (l && c->cookie)
		l->release(l->arg, c->cookie);
}

void cm_saw_incarnation(struct cm *cm, u32 ip, u64 inc)
{
	bool restarted = false;

	for (int i = 0; i < CM_MAX_CONNS; i++) {
		struct cm_conn *c = &cm->conns[i];

		if (!c->used || c->ip != ip || c->peer_inc == inc)
			continue;
		restarted = true;
		cm_conn_release(cm, c);
	}
	if (restarted)
		cm->st.restarts++;
}

static bool cm_valid(const struct udp_dgram *d, const struct cm_msg *m)
{
	return d->len == sizeof(*m) && get_be32(m->magic) == CM_MAGIC &&
	       m->version == CM_VERSION && get_be32(m->ip) == d->src_ip &&
	       m->type >= CM_REQ && m->type <= CM_STALE;
}

static void cm_input(struct net_if *nif, const struct udp_dgram *d,
		     void *arg)
{
	struct cm *cm = arg;
	struct cm_done done = { NULL, NULL, 0 };
	struct cm_msg m;

	memcpy(&m, d->data, MIN(d->len, sizeof(m)));
	netplat_lock(cm->lock);
	if (!cm_valid(d, &m)) {
		cm->st.bad++;
	} else {
		if (m.type == CM_REQ || m.type == CM_REP ||
		    m.type == CM_STALE)
			cm_saw_incarnation(cm, d->src_ip, get_be64(m.inc));
		if (m.type == CM_STALE)
			cm->st.stale_in++;
		else if (m.type == CM_REQ)
			cm_req_in(cm, d->src_ip, &m);
		else if (m.type == CM_DREQ)
			cm_dreq_in(cm, d->src_ip, &m);
		else if (m.type == CM_DREP)
			cm_drep_in(cm, d->src_ip, &m);
		else
			done = cm_answer_in(cm, d->src_ip, &m);
	}
	netplat_unlock(cm->lock);
	if (done.fn)
		done.fn(done.arg, done.err);
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
	       void *cookie, u64 timeout_ns)
{
	struct cm_wait w = { .cm = cm, .cond = netplat_cond_new() };
	int err;

	if (!w.cond)
		return -ENOMEM;
	err = cm_connect_start(cm, ip, service, qp, cookie, timeout_ns,
			       cm_wait_done, &w);
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
	cm->inc = (u64)netplat_random() << 32 | netplat_random();
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
	for (int i = 0; i < CM_MAX_CONNS; i++) {
		struct cm_conn *c = &cm->conns[i];

		if (c->used && c->service == service) {
			c->used = false;
			cm->st.conns--;
		}
	}
	netplat_unlock(cm->lock);
}

void cm_stats(struct cm *cm, struct cm_stats *out)
{
	netplat_lock(cm->lock);
	*out = cm->st;
	netplat_unlock(cm->lock);
}
