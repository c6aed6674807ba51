/* Host-test fixtures: nodes on a simulated link, connected QP pairs. */
#ifndef NET_RDMA_RC_TEST_UTIL_H
#define NET_RDMA_RC_TEST_UTIL_H

#include <tessera/net/rdma.h>
#include <tessera/net/stack.h>

#include "net/plat/simlink.h"

struct tnode {
	struct simport *port;
	struct net_if *nif;
	struct rdma_pd *pd;
	struct rdma_cq *cq;
	struct rdma_qp *qp;
	u8 *buf; /* TBUF_LEN bytes, registered as mr with every right */
	struct rdma_mr *mr;
};

#define TBUF_LEN (1u << 20)

void tnode_init(struct tnode *n, struct simlink *l, u8 id, u32 mtu);
void tnode_fini(struct tnode *n);
/* A new QP on each node, connected to each other. */
void tpair_connect(struct tnode *a, struct tnode *b, u32 mtu, u32 psn_a,
		   u32 psn_b);
/* Run until n completions are collected from node's CQ into wc. */
int tnode_wait(struct simlink *l, struct tnode *n, struct rdma_wc *wc, int want,
	       u64 until_ns);
u32 tnode_ip(u8 id);

#endif
