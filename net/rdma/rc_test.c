/*
 * The RC transport between two nodes on a simulated link: SEND, WRITE and
 * READ, clean and under loss, duplication, reordering and corruption;
 * access checks; retry exhaustion; RNR; a restarting peer.
 */
#include <stdlib.h>
#include <string.h>

#include <tessera/ktest.h>

#include "net/rdma/rc_test_util.h"

#define SEC 1000000000ull

static struct rdma_sge sge(struct tnode *n, u32 off, u32 len)
{
	return (struct rdma_sge){ (u64)(uintptr_t)(n->buf + off), len,
				  rdma_mr_lkey(n->mr) };
}

static void post_recv(struct tnode *n, u64 id, u32 off, u32 len)
{
	struct rdma_recv_wr wr = { id, sge(n, off, len) };

	rdma_post_recv(n->qp, &wr);
}

static int post(struct tnode *n, enum rdma_wr_op op, u64 id, u32 off,
		u32 len, struct tnode *peer, u32 roff)
{
	struct rdma_send_wr wr = { .wr_id = id, .op = op,
				   .sge = sge(n, off, len), .imm = (u32)id };

	if (peer) {
		wr.remote_addr = (u64)(uintptr_t)(peer->buf + roff);
		wr.rkey = rdma_mr_rkey(peer->mr);
	}
	return rdma_post_send(n->qp, &wr);
}

static void fill(struct tnode *n, u32 off, u32 len, u32 seed)
{
	for (u32 i = 0; i < len; i++)
		n->buf[off + i] = (u8)(seed * 31 + i * 7 + (i >> 8));
}

struct pair {
	struct simlink *l;
	struct tnode a, b;
};

static void pair_up(struct pair *p, u64 seed, u32 mtu, u32 psn)
{
	p->l = simlink_new(seed);
	tnode_init(&p->a, p->l, 1, 9000);
	tnode_init(&p->b, p->l, 2, 9000);
	tpair_connect(&p->a, &p->b, mtu, psn, psn ^ 0x5a5a5a);
}

static void pair_down(struct pair *p)
{
	tnode_fini(&p->a);
	tnode_fini(&p->b);
	simlink_free(p->l);
}

KTEST(rc, send_multi_packet_and_imm)
{
	struct pair p;
	struct rdma_wc wc[4];

	pair_up(&p, 1, 1024, 100);
	post_recv(&p.b, 7, 0, 8192);
	post_recv(&p.b, 8, 8192, 100);
	fill(&p.a, 0, 3000, 1);
	post(&p.a, RDMA_WR_SEND, 1, 0, 3000, NULL, 0);
	post(&p.a, RDMA_WR_SEND_IMM, 2, 0, 10, NULL, 0);
	KT_ASSERT(t, tnode_wait(p.l, &p.a, wc, 2, SEC) == 2);
	KT_EXPECT(t, wc[0].wr_id == 1 && wc[0].status == RDMA_WC_SUCCESS);
	KT_EXPECT(t, wc[1].wr_id == 2 && wc[1].status == RDMA_WC_SUCCESS);
	KT_ASSERT(t, tnode_wait(p.l, &p.b, wc, 2, SEC) == 2);
	KT_EXPECT(t, wc[0].wr_id == 7 && wc[0].byte_len == 3000);
	KT_EXPECT(t, !wc[0].has_imm);
	KT_EXPECT(t, wc[1].wr_id == 8 && wc[1].byte_len == 10);
	KT_EXPECT(t, wc[1].has_imm && wc[1].imm == 2);
	KT_EXPECT(t, !memcmp(p.a.buf, p.b.buf, 3000));
	pair_down(&p);
}

KTEST(rc, write_read_multi_packet_psn_wrap)
{
	struct pair p;
	struct rdma_wc wc[4];

	pair_up(&p, 2, 256, 0xfffff0); /* PSNs wrap within the transfer */
	fill(&p.a, 0, 65536, 2);
	post_recv(&p.b, 9, 0, 0);
	post(&p.a, RDMA_WR_WRITE, 1, 0, 65536, &p.b, 4096);
	post(&p.a, RDMA_WR_WRITE_IMM, 2, 0, 1000, &p.b, 200000);
	post(&p.a, RDMA_WR_READ, 3, 100000, 65536, &p.b, 4096);
	KT_ASSERT(t, tnode_wait(p.l, &p.a, wc, 3, SEC) == 3);
	for (int i = 0; i < 3; i++)
		KT_EXPECT(t, wc[i].wr_id == (u64)i + 1 &&
				     wc[i].status == RDMA_WC_SUCCESS);
	KT_EXPECT(t, !memcmp(p.a.buf, p.b.buf + 4096, 65536));
	KT_EXPECT(t, !memcmp(p.a.buf, p.b.buf + 200000, 1000));
	KT_EXPECT(t, !memcmp(p.a.buf, p.a.buf + 100000, 65536));
	KT_ASSERT(t, tnode_wait(p.l, &p.b, wc, 1, SEC) == 1);
	KT_EXPECT(t, wc[0].op == RDMA_WR_RECV_WRITE_IMM && wc[0].imm == 2);
	pair_down(&p);
}

static const struct simlink_faults rough = {
	.loss_ppm = 30000, .dup_ppm = 30000, .reorder_ppm = 30000,
	.corrupt_ppm = 10000, .delay_ns = 5000, .reorder_ns = 40000,
};

static void lossy_sends(struct ktest_ctx *t, u64 seed)
{
	enum { N = 600 };
	struct pair p;
	struct rdma_wc *wc = calloc(2 * N, sizeof(*wc));
	struct net_stats st;
	int got, ok = 1;

	pair_up(&p, seed, 1024, 12345);
	simlink_set_faults(p.l, &rough);
	for (u32 i = 0; i < N; i++)
		post_recv(&p.b, i, i * 1024, 1024);
	for (u32 i = 0; i < N; i++) {
		u32 len = 4 + (i * 37) % 1000;

		fill(&p.a, i * 1024, len, i);
		memcpy(p.a.buf + i * 1024, &i, 4);
		post(&p.a, RDMA_WR_SEND, i, i * 1024, len, NULL, 0);
	}
	got = tnode_wait(p.l, &p.a, wc, N, 60 * SEC);
	KT_EXPECT_EQ(t, got, N);
	for (int i = 0; i < got; i++)
		ok &= wc[i].wr_id == (u64)i && wc[i].status == RDMA_WC_SUCCESS;
	KT_EXPECT(t, ok);
	if (!ok)
		ktest_log("seed %llu: first status %d",
			  (unsigned long long)seed, wc[0].status);
	got = tnode_wait(p.l, &p.b, wc, N + 1, SEC);
	KT_EXPECT_EQ(t, got, N); /* exactly once: no extra completion */
	for (int i = 0; i < got; i++)
		ok &= wc[i].wr_id == (u64)i &&
		      wc[i].byte_len == 4 + ((u32)i * 37) % 1000;
	KT_EXPECT(t, ok);
	KT_EXPECT(t, !memcmp(p.a.buf, p.b.buf, N * 1024));
	net_get_stats(p.b.nif, &st);
	KT_EXPECT(t, st.roce_bad_icrc + st.ip_bad_csum > 0);
	KT_EXPECT(t, st.rdma_dup > 0);
	free(wc);
	pair_down(&p);
}

KTEST(rc, lossy_link_exactly_once_in_order)
{
	for (u64 seed = 100; seed < 110; seed++)
		lossy_sends(t, seed);
}

static void lossy_write_read(struct ktest_ctx *t, u64 seed, u32 mtu)
{
	struct pair p;
	struct rdma_wc wc[2];

	pair_up(&p, seed, mtu, 0xffff00 + (u32)seed);
	simlink_set_faults(p.l, &rough);
	fill(&p.a, 0, 262144, 4);
	post(&p.a, RDMA_WR_WRITE, 1, 0, 262144, &p.b, 0);
	post(&p.a, RDMA_WR_READ, 2, 262144, 262144, &p.b, 0);
	KT_ASSERT(t, tnode_wait(p.l, &p.a, wc, 2, 60 * SEC) == 2);
	KT_EXPECT(t, wc[0].status == RDMA_WC_SUCCESS);
	KT_EXPECT(t, wc[1].status == RDMA_WC_SUCCESS);
	KT_EXPECT(t, !memcmp(p.a.buf, p.b.buf, 262144));
	KT_EXPECT(t, !memcmp(p.a.buf, p.a.buf + 262144, 262144));
	pair_down(&p);
}

KTEST(rc, lossy_link_write_read)
{
	for (u64 seed = 200; seed < 210; seed++)
		lossy_write_read(t, seed, 256u << (seed % 5));
}

static void check_access_nak(struct ktest_ctx *t, enum rdma_wr_op op,
			     u32 rkey_xor, u32 roff, u32 len)
{
	struct pair p;
	struct rdma_wc wc[2];
	struct rdma_send_wr wr = { .wr_id = 1, .op = op,
				   .remote_addr = 0, .rkey = 0 };
	struct net_stats st;

	pair_up(&p, 5, 1024, 1);
	wr.sge = sge(&p.a, 0, len);
	wr.remote_addr = (u64)(uintptr_t)p.b.buf + roff;
	wr.rkey = rdma_mr_rkey(p.b.mr) ^ rkey_xor;
	fill(&p.a, 0, len, 5);
	memset(p.b.buf, 0xee, TBUF_LEN);
	rdma_post_send(p.a.qp, &wr);
	post(&p.a, RDMA_WR_SEND, 2, 0, 8, NULL, 0);
	KT_ASSERT(t, tnode_wait(p.l, &p.a, wc, 2, SEC) == 2);
	KT_EXPECT_EQ(t, wc[0].status, RDMA_WC_REM_ACCESS_ERR);
	KT_EXPECT_EQ(t, wc[1].status, RDMA_WC_WR_FLUSH_ERR);
	KT_EXPECT_EQ(t, rdma_qp_state(p.a.qp), RDMA_QPS_ERROR);
	net_get_stats(p.b.nif, &st);
	KT_EXPECT_EQ(t, st.rdma_access_nak, 1);
	for (u32 i = 0; i < TBUF_LEN; i++)
		if (p.b.buf[i] != 0xee) {
			KT_EXPECT(t, !"target memory changed");
			break;
		}
	pair_down(&p);
}

KTEST(rc, bad_rkey_and_bounds_are_naked)
{
	check_access_nak(t, RDMA_WR_WRITE, 0x400, 0, 2048);
	check_access_nak(t, RDMA_WR_WRITE, 0, TBUF_LEN - 1000, 2048);
	check_access_nak(t, RDMA_WR_READ, 0x1, 0, 100);
	check_access_nak(t, RDMA_WR_READ, 0, TBUF_LEN, 1);
	check_access_nak(t, RDMA_WR_WRITE, 0, (u32)-4096, 8192);
}

KTEST(rc, read_only_region_refuses_write)
{
	struct pair p;
	struct rdma_mr *ro;
	struct rdma_wc wc[1];
	struct rdma_send_wr wr = { .wr_id = 1, .op = RDMA_WR_WRITE };

	pair_up(&p, 6, 1024, 1);
	rdma_mr_reg(p.b.pd, p.b.buf, 4096, RDMA_ACCESS_REMOTE_READ, &ro);
	wr.sge = sge(&p.a, 0, 64);
	wr.remote_addr = (u64)(uintptr_t)p.b.buf;
	wr.rkey = rdma_mr_rkey(ro);
	rdma_post_send(p.a.qp, &wr);
	KT_ASSERT(t, tnode_wait(p.l, &p.a, wc, 1, SEC) == 1);
	KT_EXPECT_EQ(t, wc[0].status, RDMA_WC_REM_ACCESS_ERR);
	rdma_mr_dereg(ro);
	pair_down(&p);
}

KTEST(rc, retries_exhausted_give_error_completions)
{
	struct pair p;
	struct rdma_wc wc[3];

	pair_up(&p, 7, 1024, 1);
	simport_detach(p.b.port);
	post(&p.a, RDMA_WR_SEND, 1, 0, 100, NULL, 0);
	post(&p.a, RDMA_WR_WRITE, 2, 0, 100, &p.b, 0);
	post(&p.a, RDMA_WR_READ, 3, 0, 100, &p.b, 0);
	KT_ASSERT(t, tnode_wait(p.l, &p.a, wc, 3, 10 * SEC) == 3);
	KT_EXPECT_EQ(t, wc[0].status, RDMA_WC_RETRY_EXC_ERR);
	KT_EXPECT_EQ(t, wc[1].status, RDMA_WC_WR_FLUSH_ERR);
	KT_EXPECT_EQ(t, wc[2].status, RDMA_WC_WR_FLUSH_ERR);
	KT_EXPECT_EQ(t, rdma_qp_state(p.a.qp), RDMA_QPS_ERROR);
	simport_attach(p.b.port, p.b.nif);
	pair_down(&p);
}

KTEST(rc, rnr_waits_for_a_receive)
{
	struct pair p;
	struct rdma_wc wc[2];
	struct net_stats st;

	pair_up(&p, 8, 1024, 1);
	post(&p.a, RDMA_WR_SEND, 1, 0, 100, NULL, 0);
	KT_EXPECT_EQ(t, tnode_wait(p.l, &p.a, wc, 1, 5000000), 0);
	post_recv(&p.b, 5, 0, 100);
	KT_ASSERT(t, tnode_wait(p.l, &p.a, wc, 1, SEC) == 1);
	KT_EXPECT_EQ(t, wc[0].status, RDMA_WC_SUCCESS);
	net_get_stats(p.b.nif, &st);
	KT_EXPECT(t, st.rdma_rnr_nak > 0);
	pair_down(&p);
}

KTEST(rc, peer_restart)
{
	struct pair p;
	struct rdma_wc wc[2];
	struct net_stats st;

	pair_up(&p, 9, 1024, 1);
	post_recv(&p.b, 1, 0, 100);
	post(&p.a, RDMA_WR_SEND, 1, 0, 100, NULL, 0);
	KT_ASSERT(t, tnode_wait(p.l, &p.a, wc, 1, SEC) == 1);
	/* The peer restarts: its QP is gone, a new interface comes up. */
	tnode_fini(&p.b);
	tnode_init(&p.b, p.l, 2, 9000);
	post(&p.a, RDMA_WR_SEND, 2, 0, 100, NULL, 0);
	KT_ASSERT(t, tnode_wait(p.l, &p.a, wc, 1, 10 * SEC) == 1);
	KT_EXPECT_EQ(t, wc[0].status, RDMA_WC_RETRY_EXC_ERR);
	net_get_stats(p.b.nif, &st);
	KT_EXPECT(t, st.roce_no_qp > 0);
	/* Reconnect with fresh QPs on both sides. */
	rdma_qp_destroy(p.a.qp);
	tpair_connect(&p.a, &p.b, 1024, 999, 4242);
	post_recv(&p.b, 3, 0, 100);
	post(&p.a, RDMA_WR_SEND, 3, 0, 100, NULL, 0);
	KT_ASSERT(t, tnode_wait(p.l, &p.a, wc, 1, SEC) == 1);
	KT_EXPECT_EQ(t, wc[0].status, RDMA_WC_SUCCESS);
	pair_down(&p);
}

/* A peer that stops answering: each timeout without progress doubles the
 * ACK timeout up to timeout_max_ns, so retries spread over seconds rather
 * than milliseconds (a starved peer gets time to answer), and the QP
 * fails after retry_cnt of them, at a moment the schedule fixes. */
KTEST(rc, timeouts_back_off_to_the_cap)
{
	struct pair p;
	struct rdma_wc wc[1];
	struct rdma_qp_init init = { .sq_depth = 16, .rq_depth = 16 };
	struct rdma_qp_conn c = { .mtu = 1024, .retry_cnt = 10,
				  .rnr_retry = 7, .timeout_ns = 2000000,
				  .timeout_max_ns = 64000000 };
	struct net_stats st;
	u64 start, took;

	p.l = simlink_new(10);
	tnode_init(&p.a, p.l, 1, 9000);
	tnode_init(&p.b, p.l, 2, 9000);
	init.send_cq = init.recv_cq = p.a.cq;
	KT_ASSERT(t, rdma_qp_create(p.a.pd, &init, &p.a.qp) == 0);
	c.dest_ip = tnode_ip(2);
	c.dest_qpn = 0x123;
	KT_ASSERT(t, rdma_qp_connect(p.a.qp, &c) == 0);
	simport_detach(p.b.port);
	start = simlink_now(p.l);
	post(&p.a, RDMA_WR_SEND, 1, 0, 100, NULL, 0);
	KT_ASSERT(t, tnode_wait(p.l, &p.a, wc, 1, 10 * SEC) == 1);
	took = simlink_now(p.l) - start;
	KT_EXPECT_EQ(t, wc[0].status, RDMA_WC_RETRY_EXC_ERR);
	/* 2 + 4 + 8 + 16 + 32 + 6 * 64 ms: eleven timeouts, ten retries. */
	ktest_log("failed after %llu us", (unsigned long long)took / 1000);
	KT_EXPECT(t, took >= 446000000ull && took < 448000000ull);
	net_get_stats(p.a.nif, &st);
	KT_EXPECT_EQ(t, st.rdma_timeouts, 10);
	simport_attach(p.b.port, p.b.nif);
	pair_down(&p);
}
