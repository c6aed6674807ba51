/*
 * Connection setup for RC queue pairs at run time (wire format in
 * tessera/wire/rdma_cm.h, UDP port CM_UDP_PORT). Nothing about peers is
 * compiled in: the active side names the peer by IPv4 address and a
 * service; both sides learn QPN, first PSN and path MTU from the exchange.
 *
 * Active side: the caller creates a QP (INIT) and calls cm_connect_start;
 * the CM sends CM_REQ every CM_RETRY_NS until a matching CM_REP or CM_REJ
 * arrives or the timeout passes, connects the QP (RTS) on CM_REP, and
 * calls done(arg, 0 or -errno) once, with no lock held.
 *
 * Passive side: a listener per service. For a CM_REQ from (ip, req_id):
 *   - a repeat of a known req_id gets the same CM_REP again (idempotent);
 *   - a new req_id from an address that already has a connection for the
 *     service means the peer restarted: the old connection is released
 *     (listener->release) and a new one accepted;
 *   - otherwise listener->accept creates a QP in INIT, which the CM
 *     connects before answering.
 * Listener callbacks run in the receive thread with no net/ lock held.
 *
 * Locking: cm->lock guards the pending and connection tables. Lock order:
 * cm->lock, then the listener's own locks, then nif->lock.
 */
#ifndef TESSERA_NET_CM_H
#define TESSERA_NET_CM_H

#include <tessera/types.h>

struct cm;
struct net_if;
struct rdma_qp;

#define CM_RETRY_NS (10ull * 1000000ull)
#define CM_MAX_CONNS 64 /* passive connections */
#define CM_MAX_PENDING 32 /* active requests in progress */

/* ACK timeout and retries of every QP the CM connects. */
#define CM_QP_TIMEOUT_NS (10ull * 1000000ull)
#define CM_QP_RETRY_CNT 7

struct cm_listener {
	u16 service;
	/* Create a QP in INIT for a new connection from ip. 0 or -errno
	 * (answered with CM_REJ). *cookie is handed back to release. */
	int (*accept)(void *arg, u32 ip, struct rdma_qp **qp, void **cookie);
	/* Forget a connection (the peer restarted). Destroys its QP. */
	void (*release)(void *arg, void *cookie);
	void *arg;
};

struct cm_stats {
	u64 req_out, req_retry, rep_in, rej_in, timeouts;
	u64 req_in, req_dup, replaced, rep_out, rej_out;
	u64 bad; /* malformed or unexpected messages */
};

/* One CM per interface; binds CM_UDP_PORT. */
int cm_create(struct net_if *nif, struct cm **out);
/* Every connection and listener must be gone. */
void cm_destroy(struct cm *cm);
int cm_listen(struct cm *cm, const struct cm_listener *l);
/* Stop listening for service and forget its connections without calling
 * release: the listener frees them itself. */
void cm_unlisten(struct cm *cm, u16 service);
void cm_stats(struct cm *cm, struct cm_stats *out);

/* Start connecting qp (INIT) to service at ip. 0 or -errno (then done is
 * never called). done(arg, err) is called exactly once, from the receive
 * or tick thread with no lock held. */
int cm_connect_start(struct cm *cm, u32 ip, u16 service, struct rdma_qp *qp,
		     u64 timeout_ns, void (*done)(void *arg, int err),
		     void *arg);
/* Blocking form (not on the simulated platform). 0 or -errno. */
int cm_connect(struct cm *cm, u32 ip, u16 service, struct rdma_qp *qp,
	       u64 timeout_ns);

/* The largest RDMA path MTU the interface carries. */
u32 cm_path_mtu(struct net_if *nif);

#endif
