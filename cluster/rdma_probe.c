/*
 * RDMA probe: one-sided RDMA WRITE and READ between two nodes, so the
 * wire carries every RC operation the transport has, not only the RPC
 * layer's SENDs (tests/scenarios/vm-rdma-pcap.scn decodes them).
 *
 * Server half (rdma_probe_serve): a probe region registered for remote
 * read and write, RPC_RDMA_PROBE answered with its address and rkey, and
 * CM_SERVICE_RDMA_PROBE connections whose QPs share the region's
 * protection domain. Client half (rdma_probe_run): ask where the region
 * is, connect a QP of its own, WRITE a pattern there, READ it back into a
 * second buffer and compare.
 *
 * The server state is set once before the handler and listener are
 * registered and never freed; its QPs are made and destroyed by the CM's
 * callbacks. The client's resources live for one rdma_probe_run.
 */
#include <tessera/cluster/diag.h>
#include <tessera/errno.h>
#include <tessera/net/cm.h>
#include <tessera/net/plat.h>
#include <tessera/net/rdma.h>
#include <tessera/net/rpc.h>
#include <tessera/string.h>
#include <tessera/wire/rdma_cm.h>

#define PROBE_LEN 256
#define PROBE_TIMEOUT_NS (10ull * 1000000000ull)

struct probe_res {
	struct rdma_pd *pd;
	struct rdma_cq *cq;
	struct rdma_mr *mr;
	struct rdma_qp *qp; /* client only */
	u8 *buf;
};

static int res_alloc(struct net_if *nif, size_t len, u32 access,
		     struct probe_res *r)
{
	int err;

	*r = (struct probe_res){ .buf = netplat_alloc(len) };
	if (!r->buf)
		return -ENOMEM;
	err = rdma_pd_alloc(nif, &r->pd);
	if (!err)
		err = rdma_cq_create(nif, 8, &r->cq);
	if (!err)
		err = rdma_mr_reg(r->pd, r->buf, len, access, &r->mr);
	return err;
}

static void res_free(struct probe_res *r)
{
	if (r->qp)
		rdma_qp_destroy(r->qp);
	if (r->mr)
		rdma_mr_dereg(r->mr);
	if (r->cq)
		rdma_cq_destroy(r->cq);
	if (r->pd)
		rdma_pd_free(r->pd);
	netplat_free(r->buf);
}

static int qp_new(struct probe_res *r, struct rdma_qp **qp)
{
	struct rdma_qp_init qi = { .send_cq = r->cq, .recv_cq = r->cq,
				   .sq_depth = 4, .rq_depth = 1 };

	return rdma_qp_create(r->pd, &qi, qp);
}

static int probe_accept(void *arg, u32 ip, struct rdma_qp **qp,
			void **cookie)
{
	int err = qp_new(arg, qp);

	if (!err)
		*cookie = *qp;
	return err;
}

static void probe_release(void *arg, void *cookie)
{
	rdma_qp_destroy(cookie);
}

static int handle_rpc_rdma_probe(void *arg, const struct rpc_req *rq,
				 void *reply, u32 *reply_len)
{
	struct probe_res *r = arg;
	struct rpc_rdma_probe_reply m = { .addr = (u64)(uintptr_t)r->buf,
					  .rkey = rdma_mr_rkey(r->mr),
					  .len = PROBE_LEN };

	memcpy(reply, &m, sizeof(m));
	*reply_len = sizeof(m);
	return 0;
}

int rdma_probe_serve(struct rpc_ep *ep, struct net_if *nif, struct cm *cm)
{
	static struct probe_res server;
	struct cm_listener l = { .service = CM_SERVICE_RDMA_PROBE,
				 .accept = probe_accept,
				 .release = probe_release, .arg = &server };
	int err = res_alloc(nif, PROBE_LEN,
			    RDMA_ACCESS_LOCAL_WRITE | RDMA_ACCESS_REMOTE_READ |
				    RDMA_ACCESS_REMOTE_WRITE,
			    &server);

	if (!err)
		err = rpc_register(ep, RPC_RDMA_PROBE, handle_rpc_rdma_probe,
				   &server);
	return err ? err : cm_listen(cm, &l);
}

/* Post one WRITE or READ of PROBE_LEN bytes at buf + off and wait for it. */
static int post_wait(struct probe_res *c, enum rdma_wr_op op, u32 off,
		     const struct rpc_rdma_probe_reply *at)
{
	struct rdma_send_wr wr = {
		.wr_id = op, .op = op,
		.sge = { .addr = (u64)(uintptr_t)(c->buf + off),
			 .len = PROBE_LEN, .lkey = rdma_mr_lkey(c->mr) },
		.remote_addr = at->addr, .rkey = at->rkey };
	struct rdma_wc wc;
	int err = rdma_post_send(c->qp, &wr);

	if (!err)
		err = rdma_cq_wait(c->cq, netplat_now_ns() + PROBE_TIMEOUT_NS);
	if (err)
		return err;
	rdma_cq_poll(c->cq, &wc, 1);
	return wc.status == RDMA_WC_SUCCESS && wc.op == op ? 0 : -EIO;
}

static int probe_ops(struct probe_res *c,
		     const struct rpc_rdma_probe_reply *at)
{
	int err;

	for (u32 i = 0; i < PROBE_LEN; i++)
		c->buf[i] = (u8)(netplat_random() | 1);
	err = post_wait(c, RDMA_WR_WRITE, 0, at);
	if (!err)
		err = post_wait(c, RDMA_WR_READ, PROBE_LEN, at);
	if (!err && memcmp(c->buf, c->buf + PROBE_LEN, PROBE_LEN))
		err = -EBADMSG;
	return err;
}

int rdma_probe_run(struct rpc_peer *peer, struct net_if *nif, struct cm *cm)
{
	struct rpc_rdma_probe_msg m = { 0 };
	struct rpc_rdma_probe_reply at;
	struct probe_res c;
	int err = rpc_call(peer, RPC_RDMA_PROBE, &m, sizeof(m), &at,
			   sizeof(at), PROBE_TIMEOUT_NS);

	if (err >= 0 && at.len < PROBE_LEN)
		err = -EMSGSIZE;
	if (err < 0)
		return err;
	err = res_alloc(nif, 2 * PROBE_LEN, RDMA_ACCESS_LOCAL_WRITE, &c);
	if (!err)
		err = qp_new(&c, &c.qp);
	if (!err)
		err = cm_connect(cm, rpc_peer_ip(peer), CM_SERVICE_RDMA_PROBE,
				 c.qp, NULL, PROBE_TIMEOUT_NS);
	if (!err) {
		err = probe_ops(&c, &at);
		cm_disconnect(cm, c.qp);
	}
	res_free(&c);
	return err;
}
