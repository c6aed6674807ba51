/*
 * Connection setup for RC queue pairs at run time (wire format in
 * tessera/wire/rdma_cm.h, UDP port CM_UDP_PORT). Nothing about peers is
 * compiled in: the active side names the peer by IPv4 address and a
 * service; both sides learn QPN, first PSN and path MTU from the exchange.
 *
 * Several connections between the same two addresses coexist (a
 * monitor's membership, a launch's output and memory traffic each have
 * their own, to the same manager or peer); none replaces another.
 *
 * Active side: the caller creates a QP (INIT) and calls cm_connect_start;
 * the CM sends CM_REQ every CM_RETRY_NS until a matching CM_REP or CM_REJ
 * arrives or the timeout passes, connects the QP (RTS) on CM_REP, and
 * calls done(arg, 0 or -errno) once. A connected QP is the CM's to track
 * until cm_disconnect, which tells the peer (CM_DREQ, repeated until
 * CM_DREP or CM_DISC_TIMEOUT_NS) so that its side is released too.
 *
 * Passive side: a listener per service. For a CM_REQ from (ip, req_id):
 * a repeat of a known req_id gets the same CM_REP again (idempotent); a
 * new one is a new connection: listener->accept creates a QP in INIT,
 * which the CM connects before answering. CM_DREQ releases the
 * connection (listener->release).
 *
 * Restarts: each CM draws a random incarnation when it is created and
 * sends it in every message. A CM_REQ or CM_REP from ip carrying another
 * incarnation than the connections with ip were made with, or a CM_STALE
 * (sent by a node that gets RC packets for QPs it does not have) with
 * one, means the peer restarted: every such connection, of either side, is released
 * (listener->release with its cookie; an active connection made with a
 * NULL cookie, or of a service with no listener here, is just forgotten)
 * and counted in restarts. An incarnation change is taken at face value:
 * a frame of the old incarnation cannot arrive after one of the new, as
 * a restart takes longer than any frame stays in the network.
 *
 * Listener callbacks run with cm->lock held (accept must be atomic with
 * the table update) and no lock of net/ below it; done runs with no lock
 * held, from the receive or tick thread.
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
#define CM_DISC_TIMEOUT_NS (1000ull * 1000000ull)
#define CM_MAX_CONNS 128 /* connections, active and passive */
#define CM_MAX_PENDING 32 /* requests in progress: connects, disconnects */

/* ACK timeout, its backoff cap and the retries of every QP the CM
 * connects (tessera/net/rdma.h): 10, 20, ... 640 ms, then 1 s apart, 20
 * retransmissions: a peer silent for less than about 15 s is slow, not
 * dead, and its connection survives. That is longer than any RPC call's
 * own timeout, so a call to a dead peer ends at its deadline, not with
 * its connection. */
#define CM_QP_TIMEOUT_NS (10ull * 1000000ull)
#define CM_QP_TIMEOUT_MAX_NS (1000ull * 1000000ull)
#define CM_QP_RETRY_CNT 20

struct cm_listener {
	u16 service;
	/* Create a QP in INIT for a new connection from ip. 0 or -errno
	 * (answered with CM_REJ). *cookie is handed back to release. */
	int (*accept)(void *arg, u32 ip, struct rdma_qp **qp, void **cookie);
	/* Forget a connection: the peer closed it or restarted. A passive
	 * connection's QP is destroyed; an active one's cookie (from
	 * cm_connect_start) is told that its connection is lost. */
	void (*release)(void *arg, void *cookie);
	void *arg;
};

struct cm_stats {
	u64 req_out, req_retry, rep_in, rej_in, timeouts;
	u64 req_in, req_dup, rep_out, rej_out;
	u64 disc_out, disc_retry, drep_in, dreq_in;
	u64 stale_out, stale_in;
	u64 restarts; /* peers seen with a new incarnation */
	u64 conns; /* connections now, active and passive */
	u64 bad; /* malformed or unexpected messages */
};

/* One CM per interface; binds CM_UDP_PORT. */
int cm_create(struct net_if *nif, struct cm **out);
/* Every connection and listener must be gone. */
void cm_destroy(struct cm *cm);
int cm_listen(struct cm *cm, const struct cm_listener *l);
/* Stop listening for service and forget its connections, of both sides,
 * without calling release: the listener frees them itself. */
void cm_unlisten(struct cm *cm, u16 service);
void cm_stats(struct cm *cm, struct cm_stats *out);

/* Start connecting qp (INIT) to service at ip. 0 or -errno (then done is
 * never called). done(arg, err) is called exactly once, from the receive
 * or tick thread with no lock held. Once connected, cookie is what the
 * service's listener is given if the peer restarts. */
int cm_connect_start(struct cm *cm, u32 ip, u16 service, struct rdma_qp *qp,
		     void *cookie, u64 timeout_ns,
		     void (*done)(void *arg, int err), void *arg);
/* Blocking form (not on the simulated platform). 0 or -errno. */
int cm_connect(struct cm *cm, u32 ip, u16 service, struct rdma_qp *qp,
	       void *cookie, u64 timeout_ns);
/* Forget qp's connection (after its connect's done ran) and tell the
 * peer; the caller destroys qp afterwards. True if the CM still tracked
 * it, false if it had been released already (the peer restarted) or was
 * never made. No lock held. */
bool cm_disconnect(struct cm *cm, struct rdma_qp *qp);

/* The largest RDMA path MTU the interface carries. */
u32 cm_path_mtu(struct net_if *nif);

#endif
