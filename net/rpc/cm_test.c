/*
 * Connection setup over the simulated link: a clean exchange, heavy
 * loss and duplication (retries, idempotent answers, closing), no
 * listener, an unreachable peer, several connections between one pair of
 * addresses, and restarts of either side.
 */
#include <string.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>

#include "net/rpc/rpc_priv.h"
#include "net/rpc/rpc_test_util.h"

static int ping(struct rnode *a, struct rnode *b, struct rpc_peer *p)
{
	struct rnode *both[2] = { a, b };
	struct rpc_ping_msg m = { 9 };
	struct rpc_ping_reply r;
	struct rdone d = { 0, 0 };
	int err = rpc_call_async(p, RPC_PING, &m, sizeof(m), &r, sizeof(r),
				 SEC, rdone_cb, &d);

	if (err)
		return err;
	rnodes_run(both, 2, &d.calls, 2 * SEC);
	return d.calls == 1 ? d.result : -EPROTO;
}

/* Run a and b for ns with nothing to wait for. */
static void idle(struct rnode *a, struct rnode *b, u64 ns)
{
	struct rnode *both[2] = { a, b };
	int never = 0;

	rnodes_run(both, 2, &never, ns);
}

static u64 conns_of(struct rnode *n)
{
	struct cm_stats s;

	cm_stats(n->cm, &s);
	return s.conns;
}

KTEST(cm, connect_clean)
{
	struct simlink *l = simlink_new(11);
	struct rnode a, b;
	struct cm_stats sa, sb;
	struct rpc_peer *p;

	rnode_init(&a, l, 1, 4, true);
	rnode_init(&b, l, 2, 4, true);
	p = rnode_connect(&a, &b, SEC);
	KT_ASSERT(t, p);
	KT_EXPECT_EQ(t, ping(&a, &b, p), sizeof(struct rpc_ping_reply));
	cm_stats(a.cm, &sa);
	cm_stats(b.cm, &sb);
	KT_EXPECT_EQ(t, sa.rep_in, 1);
	KT_EXPECT_EQ(t, sb.req_in - sb.req_dup, 1);
	KT_EXPECT_EQ(t, sa.conns, 1);
	KT_EXPECT_EQ(t, sb.conns, 1);
	rpc_peer_close(p);
	idle(&a, &b, 100 * MSEC);
	cm_stats(a.cm, &sa);
	cm_stats(b.cm, &sb);
	KT_EXPECT_EQ(t, sa.conns + sb.conns, 0);
	KT_EXPECT_EQ(t, sb.dreq_in, 1);
	KT_EXPECT_EQ(t, sa.drep_in, 1);
	rnode_fini(&a);
	rnode_fini(&b);
	simlink_free(l);
}

KTEST(cm, connect_under_loss_and_duplication)
{
	struct simlink_faults f = { .loss_ppm = 300000, .dup_ppm = 300000,
				    .reorder_ppm = 100000, .delay_ns = 5000,
				    .reorder_ns = 20 * MSEC };
	u64 dups = 0, retries = 0;

	for (u64 seed = 1; seed <= 10; seed++) {
		struct simlink *l = simlink_new(seed);
		struct rnode a, b;
		struct cm_stats sa, sb;
		struct rpc_peer *p;

		rnode_init(&a, l, 1, 4, true);
		rnode_init(&b, l, 2, 4, true);
		simlink_set_faults(l, &f);
		p = rnode_connect(&a, &b, 5 * SEC);
		KT_EXPECT(t, p != NULL);
		if (p)
			KT_EXPECT_EQ(t, ping(&a, &b, p),
				     sizeof(struct rpc_ping_reply));
		cm_stats(a.cm, &sa);
		cm_stats(b.cm, &sb);
		/* However many CM_REQs arrived, one connection was made. */
		KT_EXPECT_EQ(t, sb.req_in - sb.req_dup, 1);
		KT_EXPECT_EQ(t, sb.conns, 1);
		dups += sb.req_dup;
		retries += sa.req_retry;
		/* Closing reaches b however many CM_DREQs are lost, and a
		 * late CM_REQ does not open it again. */
		if (p)
			rpc_peer_close(p);
		idle(&a, &b, 2 * SEC);
		KT_EXPECT_EQ(t, conns_of(&b), 0);
		rnode_fini(&a);
		rnode_fini(&b);
		simlink_free(l);
	}
	KT_EXPECT(t, dups > 0 && retries > 0);
}

KTEST(cm, refused_and_unreachable)
{
	struct simlink *l = simlink_new(12);
	struct rnode a, b, *just_a[1] = { &a };
	struct rpc_peer *p;
	struct rdone d = { 0, 0 };
	struct cm_stats sa;

	rnode_init(&a, l, 1, 4, true);
	rnode_init(&b, l, 2, 4, true);
	/* A CM_REQ for a service nobody listens to is rejected. */
	KT_ASSERT(t, cm_create(b.nif, &b.cm) == -EADDRINUSE);
	rpc_ep_destroy(b.ep);
	KT_ASSERT(t, rpc_connect_start(a.ep, rnode_ip(2), SEC, rdone_cb, &d,
				       &p) == 0);
	rnodes_run(just_a, 1, &d.calls, 2 * SEC);
	KT_EXPECT_EQ(t, d.calls, 1);
	KT_EXPECT_EQ(t, d.result, -ECONNREFUSED);
	rpc_peer_close(p);
	/* Nobody at 10.0.0.9: the request times out. */
	d = (struct rdone){ 0, 0 };
	KT_ASSERT(t, rpc_connect_start(a.ep, rnode_ip(9), 300 * MSEC,
				       rdone_cb, &d, &p) == 0);
	rnodes_run(just_a, 1, &d.calls, 2 * SEC);
	KT_EXPECT_EQ(t, d.calls, 1);
	KT_EXPECT_EQ(t, d.result, -ETIMEDOUT);
	cm_stats(a.cm, &sa);
	KT_EXPECT(t, sa.req_retry >= 10);
	rpc_peer_close(p);
	b.ep = NULL;
	rpc_ep_destroy(a.ep);
	cm_destroy(a.cm);
	cm_destroy(b.cm);
	net_if_destroy(a.nif);
	net_if_destroy(b.nif);
	simlink_free(l);
}

KTEST(cm, connections_from_one_address_coexist)
{
	struct simlink *l = simlink_new(16);
	struct rnode a, b;
	struct rpc_peer *p[3];
	struct cm_stats sb;

	rnode_init(&a, l, 1, 4, true);
	rnode_init(&b, l, 2, 4, true);
	for (int i = 0; i < 3; i++) {
		p[i] = rnode_connect(&a, &b, SEC);
		KT_ASSERT(t, p[i]);
	}
	KT_EXPECT_EQ(t, conns_of(&b), 3);
	for (int i = 0; i < 3; i++)
		KT_EXPECT_EQ(t, ping(&a, &b, p[i]),
			     sizeof(struct rpc_ping_reply));
	/* Closing one leaves the others working. */
	rpc_peer_close(p[1]);
	idle(&a, &b, 100 * MSEC);
	KT_EXPECT_EQ(t, conns_of(&b), 2);
	KT_EXPECT_EQ(t, ping(&a, &b, p[0]), sizeof(struct rpc_ping_reply));
	KT_EXPECT_EQ(t, ping(&a, &b, p[2]), sizeof(struct rpc_ping_reply));
	cm_stats(b.cm, &sb);
	KT_EXPECT_EQ(t, sb.restarts, 0);
	rpc_peer_close(p[0]);
	rpc_peer_close(p[2]);
	idle(&a, &b, 100 * MSEC);
	KT_EXPECT_EQ(t, conns_of(&b), 0);
	rnode_fini(&a);
	rnode_fini(&b);
	simlink_free(l);
}

KTEST(cm, active_side_restart_releases_its_connections)
{
	struct simlink_faults f = { .loss_ppm = 50000, .dup_ppm = 50000,
				    .delay_ns = 5000 };
	struct simlink *l = simlink_new(13);
	struct rnode a, b;
	struct cm_stats sb;
	struct rpc_peer *p;

	rnode_init(&a, l, 1, 4, true);
	rnode_init(&b, l, 2, 4, true);
	simlink_set_faults(l, &f);
	KT_ASSERT(t, rnode_connect(&a, &b, 5 * SEC));
	p = rnode_connect(&a, &b, 5 * SEC);
	KT_ASSERT(t, p);
	KT_EXPECT_EQ(t, ping(&a, &b, p), sizeof(struct rpc_ping_reply));
	/* a restarts without closing anything: same address, a new
	 * incarnation. Its first CM_REQ releases both old connections. */
	rnode_fini(&a);
	rnode_init(&a, l, 1, 4, true);
	p = rnode_connect(&a, &b, 5 * SEC);
	KT_ASSERT(t, p);
	KT_EXPECT_EQ(t, ping(&a, &b, p), sizeof(struct rpc_ping_reply));
	cm_stats(b.cm, &sb);
	KT_EXPECT_EQ(t, sb.restarts, 1);
	KT_EXPECT_EQ(t, sb.conns, 1);
	KT_EXPECT_EQ(t, sb.req_in - sb.req_dup, 3);
	rpc_peer_close(p);
	rnode_fini(&a);
	rnode_fini(&b);
	simlink_free(l);
}

KTEST(cm, passive_side_restart_seen_on_the_next_connect)
{
	struct simlink *l = simlink_new(14);
	struct rnode a, b;
	struct rpc_peer *p, *q;
	struct rpc_ping_msg m = { 1 };
	struct rpc_ping_reply r;
	struct rdone never = { 0, 0 };
	struct cm_stats sa;

	rnode_init(&a, l, 1, 4, true);
	rnode_init(&b, l, 2, 4, true);
	p = rnode_connect(&a, &b, SEC);
	KT_ASSERT(t, p);
	rnode_fini(&b);
	rnode_init(&b, l, 2, 4, true);
	/* A new connection works, and its CM_REP shows b's new
	 * incarnation: the old connection is released at once rather than
	 * when its transport gives up. */
	q = rnode_connect(&a, &b, SEC);
	KT_ASSERT(t, q);
	KT_EXPECT_EQ(t, ping(&a, &b, q), sizeof(struct rpc_ping_reply));
	cm_stats(a.cm, &sa);
	KT_EXPECT_EQ(t, sa.restarts, 1);
	KT_EXPECT_EQ(t, sa.conns, 1);
	KT_EXPECT_EQ(t, rpc_call_async(p, RPC_PING, &m, sizeof(m), &r,
				       sizeof(r), SEC, rdone_cb, &never),
		     -ECONNRESET);
	rpc_peer_close(p);
	rpc_peer_close(q);
	rnode_fini(&a);
	rnode_fini(&b);
	simlink_free(l);
}

/* b's end of a connection dies on its own (as a completion error kills
 * it); then a closes it, so b's CM releases it: its peer must still be
 * there to be released. */
KTEST(cm, passive_peer_dead_then_closed)
{
	struct simlink *l = simlink_new(15);
	struct rnode a, b;
	struct rpc_cb cbs[RPC_WINDOW_MAX];
	struct rpc_peer *p, *q = NULL;
	struct cm_stats sb;

	rnode_init(&a, l, 1, 4, true);
	rnode_init(&b, l, 2, 4, true);
	p = rnode_connect(&a, &b, SEC);
	KT_ASSERT(t, p);
	netplat_lock(b.ep->lock);
	for (u32 i = 0; i < RPC_MAX_PEERS && !q; i++)
		q = b.ep->peers[i];
	KT_ASSERT(t, q != NULL);
	KT_EXPECT_EQ(t, rpc_peer_kill(q, cbs), 0);
	netplat_unlock(b.ep->lock);
	rpc_peer_close(p);
	idle(&a, &b, 100 * MSEC);
	cm_stats(b.cm, &sb);
	KT_EXPECT_EQ(t, sb.dreq_in, 1);
	KT_EXPECT_EQ(t, sb.conns, 0);
	p = rnode_connect(&a, &b, SEC);
	KT_ASSERT(t, p);
	KT_EXPECT_EQ(t, ping(&a, &b, p), sizeof(struct rpc_ping_reply));
	rpc_peer_close(p);
	rnode_fini(&a);
	rnode_fini(&b);
	simlink_free(l);
}

/* b restarts while a is using a connection to it: a's next request
 * reaches a QP b no longer has, b answers CM_STALE with its new
 * incarnation, and a's connection fails at once (well before the call's
 * own timeout) so that a connects again. */
KTEST(cm, passive_side_restart_seen_on_the_next_packet)
{
	struct simlink *l = simlink_new(17);
	struct rnode a, b;
	struct cm_stats sa, sb;
	struct rpc_peer *p;
	u64 start;

	rnode_init(&a, l, 1, 4, true);
	rnode_init(&b, l, 2, 4, true);
	p = rnode_connect(&a, &b, SEC);
	KT_ASSERT(t, p);
	rnode_fini(&b);
	rnode_init(&b, l, 2, 4, true);
	start = simlink_now(l);
	KT_EXPECT_EQ(t, ping(&a, &b, p), -ECONNRESET);
	KT_EXPECT(t, simlink_now(l) - start < 100 * MSEC);
	cm_stats(a.cm, &sa);
	cm_stats(b.cm, &sb);
	KT_EXPECT_EQ(t, sb.stale_out, 1);
	KT_EXPECT_EQ(t, sa.restarts, 1);
	KT_EXPECT_EQ(t, sa.conns, 0);
	rpc_peer_close(p);
	p = rnode_connect(&a, &b, SEC);
	KT_ASSERT(t, p);
	KT_EXPECT_EQ(t, ping(&a, &b, p), sizeof(struct rpc_ping_reply));
	rpc_peer_close(p);
	rnode_fini(&a);
	rnode_fini(&b);
	simlink_free(l);
}
