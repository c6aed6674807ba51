/* Host-test fixtures (see rc_test_util.h). */
#include <stdlib.h>
#include <string.h>

#include "net/rdma/rc_test_util.h"

u32 tnode_ip(u8 id)
{
	return 0x0a000000u | id;
}

void tnode_init(struct tnode *n, struct simlink *l, u8 id, u32 mtu)
{
	struct net_if_config cfg = { .mac = { 2, 0, 0, 0, 0, id },
				     .ip = tnode_ip(id), .mtu = mtu };

	memset(n, 0, sizeof(*n));
	n->port = simlink_port(l);
	cfg.port = n->port;
	net_if_create(&cfg, &n->nif);
	simport_attach(n->port, n->nif);
	rdma_pd_alloc(n->nif, &n->pd);
	rdma_cq_create(n->nif, 65536, &n->cq);
	n->buf = calloc(1, TBUF_LEN);
	rdma_mr_reg(n->pd, n->buf, TBUF_LEN,
		    RDMA_ACCESS_LOCAL_WRITE | RDMA_ACCESS_REMOTE_WRITE |
			    RDMA_ACCESS_REMOTE_READ, &n->mr);
}

void tnode_fini(struct tnode *n)
{
	simport_detach(n->port);
	if (n->qp)
		rdma_qp_destroy(n->qp);
	rdma_mr_dereg(n->mr);
	rdma_cq_destroy(n->cq);
	rdma_pd_free(n->pd);
	net_if_destroy(n->nif);
	free(n->buf);
}

void tpair_connect(struct tnode *a, struct tnode *b, u32 mtu, u32 psn_a,
		   u32 psn_b)
{
	struct rdma_qp_init init = { .sq_depth = 4096, .rq_depth = 4096 };
	struct rdma_qp_conn c = { .mtu = mtu, .retry_cnt = 7, .rnr_retry = 7 };

	init.send_cq = init.recv_cq = a->cq;
	rdma_qp_create(a->pd, &init, &a->qp);
	init.send_cq = init.recv_cq = b->cq;
	rdma_qp_create(b->pd, &init, &b->qp);
	c.dest_ip = net_if_ip(b->nif);
	c.dest_qpn = rdma_qp_num(b->qp);
	c.sq_psn = psn_a;
	c.rq_psn = psn_b;
	rdma_qp_connect(a->qp, &c);
	c.dest_ip = net_if_ip(a->nif);
	c.dest_qpn = rdma_qp_num(a->qp);
	c.sq_psn = psn_b;
	c.rq_psn = psn_a;
	rdma_qp_connect(b->qp, &c);
}

struct wait_ctx {
	struct tnode *n;
	struct rdma_wc *wc;
	int got, want;
};

static bool wait_done(void *arg)
{
	struct wait_ctx *w = arg;

	w->got += rdma_cq_poll(w->n->cq, w->wc + w->got, w->want - w->got);
	return w->got == w->want;
}

int tnode_wait(struct simlink *l, struct tnode *n, struct rdma_wc *wc, int want,
	       u64 until_ns)
{
	struct wait_ctx w = { n, wc, 0, want };

	simlink_run(l, simlink_now(l) + until_ns, wait_done, &w);
	return w.got;
}
