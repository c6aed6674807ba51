/*
 * Connection setup for RC queue pairs: a two-message exchange over UDP
 * that trades what rdma_qp_connect needs, so no address or QP number is
 * compiled in. The active side sends CM_REQ (repeating it until answered);
 * the passive side creates or finds the QP for (source IP, req_id) and
 * answers CM_REP, resending the same CM_REP for a repeated CM_REQ. To
 * close, the active side sends CM_DREQ for its req_id (repeating it until
 * answered) and the passive side answers CM_DREP, known req_id or not.
 * Every message carries the sender's incarnation (inc), drawn at random
 * when its CM starts: a new one from a known address means that peer
 * restarted. A CM_STALE, sent to whoever sends RC packets to a QP number
 * the receiver does not have, carries nothing but that incarnation: so the
 * peers of a restarted node learn of the restart from their first
 * retransmission. Fields are big-endian, read with wire/byteorder.h.
 */
#ifndef TESSERA_WIRE_RDMA_CM_H
#define TESSERA_WIRE_RDMA_CM_H

#include <tessera/types.h>

#define CM_UDP_PORT 4792
#define CM_MAGIC 0x54434d31u /* "TCM1" */
#define CM_VERSION 2

/* Services (the service field): which listener a CM_REQ is for. */
enum cm_service {
	CM_SERVICE_RPC = 1, /* tessera/net/rpc.h */
	CM_SERVICE_RDMA_PROBE = 2, /* cluster/rdma_probe.c */
};

enum cm_type {
	CM_REQ = 1,
	CM_REP = 2,
	CM_REJ = 3,
	CM_DREQ = 4, /* close the connection req_id (active to passive) */
	CM_DREP = 5, /* it is closed */
	CM_STALE = 6, /* you sent RC packets to a QP I do not have */
};

struct cm_msg {
	u8 magic[4];
	u8 version;
	u8 type; /* enum cm_type */
	u8 service[2]; /* which listener (RPC, ...) */
	u8 req_id[8]; /* chosen by the active side, echoed */
	u8 qpn[4]; /* sender's QP number */
	u8 psn[4]; /* first PSN the sender will send */
	u8 mtu[4]; /* sender's largest path MTU */
	u8 ip[4]; /* sender's IPv4 address */
	u8 gid[16]; /* sender's GID: ::ffff:ip for RoCEv2 over IPv4 */
	u8 status[4]; /* CM_REJ: positive errno */
	u8 inc[8]; /* the sender's incarnation */
};
_Static_assert(sizeof(struct cm_msg) == 60, "cm_msg is 60 bytes");

#endif
