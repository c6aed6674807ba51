/*
 * Connection setup over the simulated link: a clean exchange, heavy
 * loss and duplication (retries, idempotent answers), no listener, an
 * unreachable peer, and restarts of either side.
 */
#include <string.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>

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
	rpc_peer_close(p);
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
		KT_EXPECT_EQ(t, sb.replaced, 0);
		dups += sb.req_dup;
		retries += sa.req_retry;
		if (p)
			rpc_peer_close(p);
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

KTEST(cm, active_side_restart_replaces_connection)
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
	p = rnode_connect(&a, &b, 5 * SEC);
	KT_ASSERT(t, p);
	KT_EXPECT_EQ(t, ping(&a, &b, p), sizeof(struct rpc_ping_reply));
	/* a restarts: same address, fresh state, a new request id. */
	rpc_peer_close(p);
	rnode_fini(&a);
	rnode_init(&a, l, 1, 4, true);
	p = rnode_connect(&a, &b, 5 * SEC);
	KT_ASSERT(t, p);
	KT_EXPECT_EQ(t, ping(&a, &b, p), sizeof(struct rpc_ping_reply));
	cm_stats(b.cm, &sb);
	KT_EXPECT_EQ(t, sb.replaced, 1);
	KT_EXPECT_EQ(t, sb.req_in - sb.req_dup, 2);
	rpc_peer_close(p);
	rnode_fini(&a);
	rnode_fini(&b);
	simlink_free(l);
}

KTEST(cm, passive_side_restart_then_reconnect)
{
	struct simlink *l = simlink_new(14);
	struct rnode a, b;
	struct rpc_peer *p;
	int r;

	rnode_init(&a, l, 1, 4, true);
	rnode_init(&b, l, 2, 4, true);
	p = rnode_connect(&a, &b, SEC);
	KT_ASSERT(t, p);
	rnode_fini(&b);
	rnode_init(&b, l, 2, 4, true);
	/* The old connection fails (the new b has no such QP)... */
	r = ping(&a, &b, p);
	KT_EXPECT(t, r == -ECONNRESET || r == -ETIMEDOUT);
	rpc_peer_close(p);
	/* ...and a new one works. */
	p = rnode_connect(&a, &b, SEC);
	KT_ASSERT(t, p);
	KT_EXPECT_EQ(t, ping(&a, &b, p), sizeof(struct rpc_ping_reply));
	rpc_peer_close(p);
	rnode_fini(&a);
	rnode_fini(&b);
	simlink_free(l);
}
