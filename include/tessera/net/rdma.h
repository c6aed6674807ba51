/*
 * Verbs-like API of the soft RoCEv2 transport (reliable connected only).
 *
 * Protection domains own memory regions and queue pairs. A memory region
 * registers [addr, addr+len) with access rights and gets an lkey (local
 * work requests) and an rkey (remote peers); remote addresses are the
 * region's virtual addresses. Every remote access is checked against the
 * region's bounds, rights and protection domain before memory is touched;
 * a failed check is a NAK and a counter, never an access.
 *
 * A QP is created in INIT, moved to RTS by rdma_qp_connect with the peer's
 * parameters (learnt at run time, see tessera/net/cm.h), and to ERROR when
 * retries run out or the peer NAKs an access; in ERROR every outstanding
 * and new work request completes with RDMA_WC_FLUSH_ERR.
 *
 * Retransmission: with nothing acknowledged for timeout_ns the requester
 * goes back to the oldest unacknowledged PSN; each further timeout without
 * progress doubles the wait, up to timeout_max_ns, and any progress
 * brings it back to timeout_ns. So a peer that stops answering for a
 * while (a VM its host does not schedule) is retried ever more gently,
 * and the QP gives up only after retry_cnt retransmissions without
 * progress: the sum of that schedule is how long a silent peer is
 * presumed slow rather than dead.
 *
 * Every work request is signalled: it produces exactly one completion.
 * All calls are thread safe (they take the interface lock).
 */
#ifndef TESSERA_NET_RDMA_H
#define TESSERA_NET_RDMA_H

#include <tessera/types.h>

struct net_if;
struct rdma_pd;
struct rdma_mr;
struct rdma_cq;
struct rdma_qp;

#define RDMA_ACCESS_LOCAL_WRITE 1u
#define RDMA_ACCESS_REMOTE_WRITE 2u
#define RDMA_ACCESS_REMOTE_READ 4u

#define RDMA_MTU_MIN 256u
#define RDMA_MTU_MAX 4096u
#define RDMA_MAX_MSG (1u << 30)

enum rdma_wr_op {
	RDMA_WR_SEND,
	RDMA_WR_SEND_IMM,
	RDMA_WR_WRITE,
	RDMA_WR_WRITE_IMM,
	RDMA_WR_READ,
	RDMA_WR_RECV, /* only in completions */
	RDMA_WR_RECV_WRITE_IMM, /* only in completions */
};

enum rdma_wc_status {
	RDMA_WC_SUCCESS,
	RDMA_WC_LOC_LEN_ERR,
	RDMA_WC_LOC_PROT_ERR,
	RDMA_WC_REM_INV_REQ_ERR,
	RDMA_WC_REM_ACCESS_ERR,
	RDMA_WC_REM_OP_ERR,
	RDMA_WC_RETRY_EXC_ERR,
	RDMA_WC_RNR_RETRY_EXC_ERR,
	RDMA_WC_WR_FLUSH_ERR,
};

enum rdma_qp_state { RDMA_QPS_INIT, RDMA_QPS_RTS, RDMA_QPS_ERROR };

struct rdma_sge {
	u64 addr;
	u32 len;
	u32 lkey;
};

struct rdma_send_wr {
	u64 wr_id;
	enum rdma_wr_op op;
	struct rdma_sge sge; /* a zero-length sge needs no lkey */
	u64 remote_addr; /* WRITE, READ */
	u32 rkey; /* WRITE, READ */
	u32 imm; /* *_IMM */
};

struct rdma_recv_wr {
	u64 wr_id;
	struct rdma_sge sge;
};

struct rdma_wc {
	u64 wr_id;
	enum rdma_wc_status status;
	enum rdma_wr_op op;
	u32 byte_len; /* receives */
	u32 imm;
	bool has_imm;
	u32 qpn;
};

struct rdma_qp_init {
	struct rdma_cq *send_cq, *recv_cq;
	u32 sq_depth, rq_depth;
};

/* What rdma_qp_connect needs to know about the path and the peer. */
struct rdma_qp_conn {
	u32 dest_ip;
	u32 dest_qpn;
	u32 sq_psn; /* first PSN we send */
	u32 rq_psn; /* first PSN we expect */
	u32 mtu; /* path MTU: 256, 512, 1024, 2048 or 4096 */
	u64 timeout_ns; /* first ACK timeout; 0 picks a default */
	u64 timeout_max_ns; /* backoff cap; 0 picks a default */
	u32 retry_cnt; /* retransmissions without progress before ERROR */
	u32 rnr_retry; /* retries after RNR NAKs; 7 means forever */
	u64 rnr_delay_ns; /* wait after an RNR NAK; 0 picks a default */
};

int rdma_pd_alloc(struct net_if *nif, struct rdma_pd **out);
int rdma_pd_free(struct rdma_pd *pd);

int rdma_mr_reg(struct rdma_pd *pd, void *addr, size_t len, u32 access,
		struct rdma_mr **out);
int rdma_mr_dereg(struct rdma_mr *mr);
u32 rdma_mr_lkey(const struct rdma_mr *mr);
u32 rdma_mr_rkey(const struct rdma_mr *mr);

int rdma_cq_create(struct net_if *nif, u32 depth, struct rdma_cq **out);
int rdma_cq_destroy(struct rdma_cq *cq);
/* Take up to n completions; returns how many (0 if none). */
int rdma_cq_poll(struct rdma_cq *cq, struct rdma_wc *wc, int n);
/* Wait until the CQ is not empty or the deadline passes. 0 or -ETIMEDOUT. */
int rdma_cq_wait(struct rdma_cq *cq, u64 deadline_ns);

int rdma_qp_create(struct rdma_pd *pd, const struct rdma_qp_init *init,
		   struct rdma_qp **out);
int rdma_qp_connect(struct rdma_qp *qp, const struct rdma_qp_conn *conn);
/* Move to ERROR, flushing outstanding work. */
void rdma_qp_reset(struct rdma_qp *qp);
int rdma_qp_destroy(struct rdma_qp *qp);
u32 rdma_qp_num(const struct rdma_qp *qp);
enum rdma_qp_state rdma_qp_state(struct rdma_qp *qp);

int rdma_post_send(struct rdma_qp *qp, const struct rdma_send_wr *wr);
int rdma_post_recv(struct rdma_qp *qp, const struct rdma_recv_wr *wr);

/* Addresses that sent RC packets to QP numbers this interface does not
 * have (a peer still talking to QPs of an earlier boot of ours), each
 * reported at most once per RDMA_STRANGER_EVERY_NS: up to max into ips,
 * returns how many. The connection manager tells them (CM_STALE). */
#define RDMA_STRANGER_EVERY_NS (100ull * 1000000ull)
int rdma_take_strangers(struct net_if *nif, u32 *ips, int max);

#endif
