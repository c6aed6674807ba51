/*
 * Connection setup for RC queue pairs: a two-message exchange over UDP
 * that trades what rdma_qp_connect needs, so no address or QP number is
 * compiled in. The active side sends CM_REQ (repeating it until answered);
 * the passive side creates or finds the QP for (source IP, req_id) and
 * answers CM_REP, resending the same CM_REP for a repeated CM_REQ. Fields
 * are big-endian, read with wire/byteorder.h.
 */
#ifndef TESSERA_WIRE_RDMA_CM_H
#define TESSERA_WIRE_RDMA_CM_H

#include <tessera/types.h>

#define CM_UDP_PORT 4792
#define CM_MAGIC 0x54434d31u /* "TCM1" */
#define CM_VERSION 1

/* Services (the service field): which listener a CM_REQ is for. */
enum cm_service {
	CM_SERVICE_RPC = 1, /* tessera/net/rpc.h */
	CM_SERVICE_RDMA_PROBE = 2, /* cluster/rdma_probe.c */
};

enum cm_type {
	CM_REQ = 1,
	CM_REP = 2,
	CM_REJ = 3,
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
};
_Static_assert(sizeof(struct cm_msg) == 52, "cm_msg is 52 bytes");

#endif
