/*
 * A slow peer is not a dead one: calls to a peer that stops running for
 * seconds (a VM the host does not schedule) complete once it runs again,
 * over the same connection; calls to a dead peer end at their own
 * deadline with -ETIMEDOUT, and the connection is given up only later,
 * once the transport's retries are spent.
 */
#include <string.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>

#include "net/rpc/rpc_test_util.h"

enum { SLOW_CALLS = 16 };

struct slow_calls {
	struct rpc_echo_msg req[SLOW_CALLS], rep[SLOW_CALLS];
	struct rdone done[SLOW_CALLS];
	int finished; /* all done */
};

static void slow_issue(struct ktest_ctx *t, struct duo *d,
		       struct slow_calls *c)
{
	memset(c, 0, sizeof(*c));
	for (int i = 0; i < SLOW_CALLS; i++) {
		c->req[i].len = 32;
		memset(c->req[i].data, i + 1, 32);
		KT_EXPECT_EQ(t, rpc_call_async(d->p, RPC_ECHO, &c->req[i],
					       8 + 32, &c->rep[i],
					       sizeof(c->rep[i]), 60 * SEC,
					       rdone_cb, &c->done[i]), 0);
	}
}

static bool slow_all_done(struct slow_calls *c)
{
	for (int i = 0; i < SLOW_CALLS; i++)
		if (!c->done[i].calls)
			return false;
	return true;
}

/* Run until every call of c has completed; how many succeeded. */
static int slow_collect(struct duo *d, struct slow_calls *c, u64 limit)
{
	u64 end = simlink_now(d->l) + limit;
	int ok = 0;

	while (!slow_all_done(c) && simlink_now(d->l) < end)
		rnodes_run(d->both, 2, &c->finished, 10 * MSEC);
	for (int i = 0; i < SLOW_CALLS; i++)
		ok += c->done[i].calls == 1 && c->done[i].result == 8 + 32 &&
		      !memcmp(&c->req[i], &c->rep[i], 8 + 32);
	return ok;
}

KTEST(rpc, starved_peer_is_slow_not_dead)
{
	static const u64 stalls[] = { 300 * MSEC, 2 * SEC, 5 * SEC, 10 * SEC };
	static struct slow_calls c;
	struct net_stats sn;
	struct rpc_stats st;
	struct duo d;

	KT_ASSERT(t, duo_up(&d, 21, 16, true));
	for (size_t i = 0; i < sizeof(stalls) / sizeof(stalls[0]); i++) {
		slow_issue(t, &d, &c);
		simport_stall(d.b.port, simlink_now(d.l) + stalls[i]);
		KT_EXPECT_EQ(t, slow_collect(&d, &c, 30 * SEC), SLOW_CALLS);
	}
	rpc_get_stats(d.a.ep, &st);
	net_get_stats(d.a.nif, &sn);
	ktest_log("a: %llu retransmission timeouts, %llu connection errors",
		  (unsigned long long)sn.rdma_timeouts,
		  (unsigned long long)st.conn_errors);
	KT_EXPECT_EQ(t, st.conn_errors, 0);
	KT_EXPECT_EQ(t, st.timeouts, 0);
	KT_EXPECT(t, sn.rdma_timeouts > 0); /* it did have to retry */
	duo_down(&d);
}

/* One async PING; *at is when it completed (simulated ns after issue). */
static int ping_timed(struct duo *d, u64 timeout, u64 *at)
{
	struct rpc_ping_msg m = { 5 };
	struct rpc_ping_reply r;
	struct rdone done = { 0, 0 };
	u64 start = simlink_now(d->l);
	int err = rpc_call_async(d->p, RPC_PING, &m, sizeof(m), &r, sizeof(r),
				 timeout, rdone_cb, &done);

	if (err)
		return err;
	rnodes_run(d->both, 2, &done.calls, timeout + SEC);
	*at = simlink_now(d->l) - start;
	return done.calls == 1 ? done.result : -EPROTO;
}

KTEST(rpc, dead_peer_call_times_out_on_its_own)
{
	struct rpc_stats st;
	struct duo d;
	int never = 0;
	u64 at;

	KT_ASSERT(t, duo_up(&d, 22, 16, true));
	simport_detach(d.b.port); /* b is gone for good */
	KT_EXPECT_EQ(t, ping_timed(&d, 2 * SEC, &at), -ETIMEDOUT);
	KT_EXPECT(t, at >= 2 * SEC && at < 2 * SEC + 5 * MSEC);
	KT_EXPECT_EQ(t, ping_timed(&d, SEC, &at), -ETIMEDOUT);
	KT_EXPECT(t, at >= SEC && at < SEC + 5 * MSEC);
	rpc_get_stats(d.a.ep, &st);
	KT_EXPECT_EQ(t, st.conn_errors, 0); /* not given up yet */
	/* Once the transport's retries are spent, the connection fails and
	 * later calls fail at once. */
	rnodes_run(d.both, 2, &never, 20 * SEC);
	rpc_get_stats(d.a.ep, &st);
	KT_EXPECT_EQ(t, st.conn_errors, 1);
	KT_EXPECT_EQ(t, ping_timed(&d, SEC, &at), -ECONNRESET);
	simport_attach(d.b.port, d.b.nif);
	duo_down(&d);
}
