/*
 * State of the connection manager (see tessera/net/cm.h), shared by
 * cm.c (tables, messages, restarts), cm_active.c (connecting and
 * disconnecting) and cm_passive.c (accepting and releasing). Everything
 * here is guarded by cm->lock; functions declared here expect it held
 * unless they say otherwise.
 */
#ifndef NET_RPC_CM_PRIV_H
#define NET_RPC_CM_PRIV_H

#include <tessera/net/cm.h>
#include <tessera/net/plat.h>
#include <tessera/net/rdma.h>
#include <tessera/wire/rdma_cm.h>

#define CM_HOLD_RETRY_NS (2ull * 1000000ull) /* after -EHOSTUNREACH (ARP) */
#define CM_MAX_LISTENERS 4
#define CM_CLOSED_RING 16 /* closed passive connections remembered */
#define CM_STRANGERS_PER_TICK 8
#define CM_STALE_TRY_NS (50ull * 1000000ull) /* to resolve its address */

enum cm_pending_kind { CM_PEND_FREE, CM_PEND_CONNECT, CM_PEND_DISC };

/* A request of ours in progress: a connect (CM_REQ until CM_REP/CM_REJ)
 * or a disconnect (CM_DREQ until CM_DREP). */
struct cm_pending {
	enum cm_pending_kind kind;
	u32 ip, psn;
	u16 service;
	u64 req_id, deadline_ns, next_ns;
	struct rdma_qp *qp; /* connect */
	void *cookie; /* connect: the connection's, once made */
	void (*done)(void *arg, int err); /* connect */
	void *arg;
};

/* A connection: what was made for (ip, req_id), on either side. */
struct cm_conn {
	bool used, active;
	u32 ip;
	u16 service;
	u64 req_id;
	u64 peer_inc; /* the peer's incarnation when it was made */
	struct rdma_qp *qp; /* active: how cm_disconnect finds it */
	void *cookie;
	u8 rep[sizeof(struct cm_msg)]; /* passive: resent for a repeated REQ */
};

struct cm {
	struct net_if *nif;
	struct netplat_lock *lock;
	u64 inc; /* this CM's incarnation */
	struct cm_listener listeners[CM_MAX_LISTENERS]; /* service 0: free */
	struct cm_pending pending[CM_MAX_PENDING];
	struct cm_conn conns[CM_MAX_CONNS];
	/* The last connections closed by CM_DREQ: a late duplicate of
	 * their CM_REQ must not open them again. */
	struct cm_closed {
		u32 ip;
		u64 req_id;
	} closed[CM_CLOSED_RING];
	u32 closed_next;
	/* CM_STALEs still to send: their address was not resolved yet. */
	struct cm_stale_todo {
		u32 ip; /* 0: free */
		u64 until_ns; /* give up then */
	} stale_todo[CM_STRANGERS_PER_TICK];
	struct cm_stats st;
};

/* A finished connect, to report once cm->lock is released. */
struct cm_done {
	void (*fn)(void *arg, int err);
	void *arg;
	int err;
};

/* cm.c */
void cm_fill(struct cm *cm, struct cm_msg *m, u8 type, u16 service,
	     u64 req_id, u32 qpn, u32 psn, u32 mtu);
/* No lock needed. */
int cm_send(struct cm *cm, u32 ip, const struct cm_msg *m);
struct rdma_qp_conn cm_qp_conn(u32 ip, u32 qpn, u32 sq_psn, u32 rq_psn,
			       u32 mtu);
const struct cm_listener *cm_listener_find(struct cm *cm, u16 service);
struct cm_conn *cm_conn_free_slot(struct cm *cm);
/* Forget c, telling its listener (release) if it has one. */
void cm_conn_release(struct cm *cm, struct cm_conn *c);
/* A CM_REQ, CM_REP or CM_STALE from ip carried incarnation inc: release
 * every connection with ip made under another one (the peer restarted). */
void cm_saw_incarnation(struct cm *cm, u32 ip, u64 inc);

/* cm_active.c */
/* A CM_REP or CM_REJ: the connect it finishes, to report unlocked. */
struct cm_done cm_answer_in(struct cm *cm, u32 ip, const struct cm_msg *m);
void cm_drep_in(struct cm *cm, u32 ip, const struct cm_msg *m);
/* Tell ip that connection req_id is closed (CM_DREQ, repeated). */
void cm_disc_start(struct cm *cm, u32 ip, u16 service, u64 req_id);
/* The tick hook: retries and timeouts. No lock held. */
void cm_tick(void *arg);

/* cm_passive.c */
void cm_req_in(struct cm *cm, u32 ip, const struct cm_msg *m);
void cm_dreq_in(struct cm *cm, u32 ip, const struct cm_msg *m);

#endif
