/*
 * The Linux platform with real threads: two interfaces joined by a queue
 * and a delivery thread, RC SENDs completed and waited for with
 * rdma_cq_wait.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <tessera/ktest.h>
#include <tessera/net/plat.h>
#include <tessera/net/rdma.h>
#include <tessera/net/stack.h>

#include "net/plat/plat_linux.h"

struct qframe {
	struct qframe *next;
	struct net_if *to;
	size_t len;
	u8 data[];
};

static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t qcond = PTHREAD_COND_INITIALIZER;
static struct qframe *qhead, **qtail = &qhead;
static struct net_if *ifs[2];
static volatile bool stop;

/* port i sends to the other interface. */
static int xmit(void *port, const void *frame, size_t len)
{
	struct qframe *f = malloc(sizeof(*f) + len);

	f->next = NULL;
	f->to = ifs[(uintptr_t)port ^ 1];
	f->len = len;
	memcpy(f->data, frame, len);
	pthread_mutex_lock(&qlock);
	*qtail = f;
	qtail = &f->next;
	pthread_cond_signal(&qcond);
	pthread_mutex_unlock(&qlock);
	return 0;
}

static void deliver_thread(void *arg)
{
	while (!stop) {
		struct qframe *f;
		struct timespec ts = { 0, 1000000 };

		pthread_mutex_lock(&qlock);
		if (!qhead)
			pthread_cond_timedwait(&qcond, &qlock, &ts);
		f = qhead;
		if (f && !(qhead = f->next))
			qtail = &qhead;
		pthread_mutex_unlock(&qlock);
		if (f) {
			net_input(f->to, f->data, f->len);
			free(f);
		}
		net_tick(ifs[0]);
		net_tick(ifs[1]);
	}
}

KTEST(plat_linux, threaded_sends)
{
	enum { N = 200 };
	static u8 abuf[4096], bbuf[N * 64];
	struct rdma_pd *pd[2];
	struct rdma_cq *cq[2];
	struct rdma_qp *qp[2];
	struct rdma_mr *mr[2];
	struct rdma_wc wc;
	int got = 0, okc = 0;

	plat_linux_set_xmit(xmit);
	for (uintptr_t i = 0; i < 2; i++) {
		struct net_if_config c = { .mac = { 2, 0, 0, 0, 1, (u8)i },
					   .ip = 0x0a000101 + (u32)i,
					   .mtu = 1500, .port = (void *)i };
		struct rdma_qp_init qi = { .sq_depth = N, .rq_depth = N };

		KT_ASSERT(t, net_if_create(&c, &ifs[i]) == 0);
		rdma_pd_alloc(ifs[i], &pd[i]);
		rdma_cq_create(ifs[i], 2 * N, &cq[i]);
		qi.send_cq = qi.recv_cq = cq[i];
		rdma_qp_create(pd[i], &qi, &qp[i]);
	}
	for (int i = 0; i < 2; i++) {
		struct rdma_qp_conn c = { .dest_ip = 0x0a000101 + (u32)!i,
					  .dest_qpn = rdma_qp_num(qp[!i]),
					  .sq_psn = 10 + (u32)i,
					  .rq_psn = 10 + (u32)!i, .mtu = 1024,
					  .retry_cnt = 7, .rnr_retry = 7 };

		KT_ASSERT(t, rdma_qp_connect(qp[i], &c) == 0);
	}
	rdma_mr_reg(pd[0], abuf, sizeof(abuf), 0, &mr[0]);
	rdma_mr_reg(pd[1], bbuf, sizeof(bbuf), RDMA_ACCESS_LOCAL_WRITE, &mr[1]);
	KT_ASSERT(t, netplat_thread_start("deliver", deliver_thread, NULL) == 0);
	for (u32 i = 0; i < N; i++) {
		struct rdma_recv_wr r = { i, { (u64)(uintptr_t)(bbuf + i * 64),
					       64, rdma_mr_lkey(mr[1]) } };
		struct rdma_send_wr s = { .wr_id = i, .op = RDMA_WR_SEND,
					  .sge = { (u64)(uintptr_t)abuf, 64,
						   rdma_mr_lkey(mr[0]) } };

		rdma_post_recv(qp[1], &r);
		rdma_post_send(qp[0], &s);
	}
	while (got < N && !rdma_cq_wait(cq[1], netplat_now_ns() + 5000000000ull))
		while (rdma_cq_poll(cq[1], &wc, 1) == 1) {
			okc += wc.status == RDMA_WC_SUCCESS &&
			       wc.wr_id == (u64)got;
			got++;
		}
	KT_EXPECT_EQ(t, got, N);
	KT_EXPECT_EQ(t, okc, N);
	stop = true;
	for (int i = 0; i < 2; i++)
		rdma_qp_reset(qp[i]);
}
