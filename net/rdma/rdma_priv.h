/*
 * State of the RDMA transport of one interface. Every field of every
 * object here is guarded by the owning interface's nif->lock.
 *
 * Keys and QP numbers carry a table index in their low bits and a
 * generation in the high bits, so a stale key or QPN never names a newer
 * object: key = gen << 10 | index, qpn = (gen << 8 | index) & 0xffffff.
 */
#ifndef NET_RDMA_RDMA_PRIV_H
#define NET_RDMA_RDMA_PRIV_H

#include <tessera/net/rdma.h>

#include "net/inet/net_priv.h"
#include "net/rdma/roce.h"

#define RDMA_MAX_MR 1024
#define RDMA_MAX_QP 256
#define RDMA_WINDOW 256 /* unacknowledged PSNs a requester may have */
#define RDMA_ACK_EVERY 16 /* ask for an ACK at least this often */
#define RDMA_TIMEOUT_NS (2ull * 1000000ull)
#define RDMA_TIMEOUT_MAX_NS (500ull * 1000000ull)
#define RDMA_RNR_DELAY_NS (1ull * 1000000ull)

struct rdma_pd {
	struct rdma_dev *dev;
	u32 users; /* MRs and QPs */
};

struct rdma_mr {
	struct rdma_pd *pd;
	u8 *addr;
	u64 len;
	u32 access;
	u32 key; /* lkey == rkey */
};

struct rdma_cq {
	struct rdma_dev *dev;
	struct netplat_cond *cond; /* broadcast when a completion is added */
	struct rdma_wc *ring;
	u32 depth, head, count;
	u32 users; /* QPs */
	u64 overflows;
};

/* A send work request in flight. PSNs [first_psn, first_psn + npkts). */
struct rdma_swqe {
	struct rdma_send_wr wr;
	u8 *local; /* resolved sge.addr */
	u32 first_psn, npkts;
	u32 rcvd; /* READ: response packets received in order */
	u32 read_base; /* READ: rcvd when the last request was sent */
	bool acked; /* all its packets acknowledged (not READ) */
	enum rdma_wc_status status;
};

struct rdma_rwqe {
	struct rdma_recv_wr wr;
	u8 *local;
};

struct rdma_requester {
	struct rdma_swqe *sq;
	u32 sq_depth, sq_head, sq_count; /* ring of posted WQEs */
	u32 cur; /* ring offset from sq_head of the WQE to send next */
	u32 cur_pkt; /* next packet of that WQE */
	u32 next_psn; /* PSN of the next packet to send */
	u32 una_psn; /* oldest unacknowledged PSN */
	u32 max_psn; /* PSNs before this have been allocated to WQEs */
	u64 deadline_ns; /* retransmit then, if anything is unacknowledged */
	u64 wait_ns; /* the ACK timeout now: doubles per timeout, see rdma.h */
	u64 hold_until_ns; /* RNR wait: send nothing before */
	u32 retry_left, rnr_left;
	u32 pkts_since_ackreq;
};

struct rdma_responder {
	struct rdma_rwqe *rq;
	u32 rq_depth, rq_head, rq_count;
	u32 epsn; /* next PSN expected */
	u32 msn; /* messages completed */
	bool nak_sent; /* a sequence NAK for epsn is outstanding */
	bool in_send; /* a multi-packet SEND is in progress */
	u32 send_off;
	bool in_write; /* a multi-packet WRITE is in progress */
	u8 *write_ptr;
	u32 write_left;
};

struct rdma_qp {
	struct rdma_pd *pd;
	struct rdma_dev *dev;
	struct rdma_cq *send_cq, *recv_cq;
	u32 qpn;
	enum rdma_qp_state state;
	struct rdma_qp_conn conn;
	struct rdma_requester req;
	struct rdma_responder resp;
};

/* A sender to an unknown QPN (rdma_take_strangers). */
#define RDMA_STRANGERS 8
struct rdma_stranger {
	u32 ip; /* 0: free */
	bool pending; /* not reported yet */
	u64 quiet_until_ns; /* not reported again before */
};

struct rdma_dev {
	struct net_if *nif;
	struct rdma_mr *mr[RDMA_MAX_MR];
	struct rdma_qp *qp[RDMA_MAX_QP];
	u32 gen;
	struct rdma_stranger strangers[RDMA_STRANGERS];
};

static inline s32 psn_diff(u32 a, u32 b)
{
	return (s32)((a - b) << 8) >> 8;
}

static inline u32 psn_add(u32 a, u32 n)
{
	return (a + n) & ROCE_PSN_MASK;
}

/* rdma_mr.c */
struct rdma_mr *rdma_mr_lookup(struct rdma_dev *dev, struct rdma_pd *pd,
			       u32 key, u64 va, u64 len, u32 access);
u8 *rdma_sge_resolve(struct rdma_pd *pd, const struct rdma_sge *sge,
		     u32 access);

/* rdma_cq.c */
void rdma_cq_push(struct rdma_cq *cq, const struct rdma_wc *wc);

/* rdma_dev.c */
void rdma_note_stranger(struct rdma_dev *dev, u32 ip, u64 now);

/* rdma_qp.c */
struct rdma_qp *rdma_qp_lookup(struct rdma_dev *dev, u32 qpn);
void rdma_qp_error_locked(struct rdma_qp *qp);

/* rc_pkt.c */
struct rc_tx {
	struct roce_hdrs h;
	const u8 *payload;
	u32 len;
};
void rc_xmit(struct rdma_qp *qp, struct rc_tx *tx);
void rc_send_ack(struct rdma_qp *qp, u8 syndrome, u32 psn);
void rc_input(struct net_if *nif, const struct udp_dgram *d, void *arg);

/* rc_req.c */
void rc_req_pump(struct rdma_qp *qp);
void rc_req_input(struct rdma_qp *qp, const struct roce_hdrs *h,
		  const u8 *payload, u32 len);
void rc_req_tick(struct rdma_qp *qp, u64 now);
void rc_req_flush(struct rdma_qp *qp);

/* rc_resp.c */
void rc_resp_input(struct rdma_qp *qp, const struct roce_hdrs *h,
		   const u8 *payload, u32 len);
void rc_resp_flush(struct rdma_qp *qp);

#endif
