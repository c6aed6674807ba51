/*
 * Exactly once under a bad link: 10^4 ECHO calls, each handled exactly
 * once and answered exactly once with its own body, over a link that
 * loses, duplicates and reorders 5% of frames each (deterministic seed).
 */
#include <stdlib.h>
#include <string.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>

#include "net/rpc/rpc_test_util.h"

enum { LOSSY_N = 10000, LOSSY_W = 32, LOSSY_BODY = 64 };

struct lossy {
	u8 served[LOSSY_N]; /* handler runs per call */
	u8 answered[LOSSY_N]; /* done callbacks per call */
	u32 ok, failed, sent, finished;
	int wake; /* all finished, or a slot waits for the window */
	struct rpc_peer *p;
	struct slot {
		struct lossy *ls;
		bool idle; /* its call met a full window: issue it again */
		u32 seq;
		struct rpc_echo_msg req, rep;
	} slots[LOSSY_W];
};

static int handle_counting_echo(void *arg, const struct rpc_req *rq,
				void *reply, u32 *reply_len)
{
	struct lossy *ls = arg;
	u32 seq;

	memcpy(&seq, (const u8 *)rq->body + 8, sizeof(seq));
	if (seq < LOSSY_N)
		ls->served[seq]++;
	memcpy(reply, rq->body, rq->len);
	*reply_len = rq->len;
	return 0;
}

static void lossy_issue(struct slot *s);

static void lossy_done(void *arg, int result)
{
	struct slot *s = arg;
	struct lossy *ls = s->ls;

	ls->answered[s->seq]++;
	if (result == 8 + LOSSY_BODY && !memcmp(&s->req, &s->rep, result))
		ls->ok++;
	else
		ls->failed++;
	if (++ls->finished == LOSSY_N)
		ls->wake = 1;
	if (ls->sent < LOSSY_N) {
		s->seq = ls->sent++;
		lossy_issue(s);
	}
}

static void lossy_issue(struct slot *s)
{
	struct lossy *ls = s->ls;
	int err;

	s->req.len = LOSSY_BODY;
	memset(s->req.data, (int)s->seq, LOSSY_BODY);
	memcpy(s->req.data, &s->seq, sizeof(s->seq));
	err = rpc_call_async(ls->p, RPC_ECHO, &s->req, 8 + LOSSY_BODY,
			     &s->rep, sizeof(s->rep), 30 * SEC, lossy_done, s);
	s->idle = err == -EAGAIN;
	ls->wake |= s->idle;
	if (err && !s->idle)
		ls->failed++;
}

/* Run until every call has finished, reissuing calls that found the
 * window full. */
static void lossy_run(struct lossy *ls, struct rnode **both, u64 limit)
{
	struct simlink *l = both[0]->link;

	while (ls->finished < LOSSY_N && simlink_now(l) < limit) {
		ls->wake = 0;
		for (int i = 0; i < LOSSY_W; i++)
			if (ls->slots[i].idle)
				lossy_issue(&ls->slots[i]);
		rnodes_run(both, 2, &ls->wake, MSEC);
	}
}

KTEST(rpc, ten_thousand_exactly_once_lossy)
{
	static struct lossy ls;
	struct simlink_faults bad = { .loss_ppm = 50000, .dup_ppm = 50000,
				      .reorder_ppm = 50000,
				      .delay_ns = 5000, .reorder_ns = 40000 };
	struct simlink_counts lc;
	struct rnode a, b, *both[2] = { &a, &b };
	struct simlink *l = simlink_new(4242);
	struct rpc_stats sa, sb;
	u32 once = 0;

	memset(&ls, 0, sizeof(ls));
	rnode_init(&a, l, 1, LOSSY_W, false);
	rnode_init(&b, l, 2, LOSSY_W, false);
	rpc_register(b.ep, RPC_ECHO, handle_counting_echo, &ls);
	simlink_set_faults(l, &bad);
	ls.p = rnode_connect(&a, &b, 5 * SEC);
	KT_ASSERT(t, ls.p);
	for (int i = 0; i < LOSSY_W; i++) {
		ls.slots[i].ls = &ls;
		ls.slots[i].seq = ls.sent++;
		lossy_issue(&ls.slots[i]);
	}
	lossy_run(&ls, both, 600 * SEC);
	for (u32 i = 0; i < LOSSY_N; i++)
		once += ls.served[i] == 1 && ls.answered[i] == 1;
	simlink_counts(l, &lc);
	rpc_get_stats(a.ep, &sa);
	rpc_get_stats(b.ep, &sb);
	ktest_log("frames %llu lost %llu dup %llu reordered %llu; sim %llu ms",
		  (unsigned long long)lc.frames, (unsigned long long)lc.lost,
		  (unsigned long long)lc.duplicated,
		  (unsigned long long)lc.reordered,
		  (unsigned long long)(simlink_now(l) / MSEC));
	KT_EXPECT_EQ(t, ls.finished, LOSSY_N);
	KT_EXPECT_EQ(t, ls.ok, LOSSY_N);
	KT_EXPECT_EQ(t, ls.failed, 0);
	KT_EXPECT_EQ(t, once, LOSSY_N);
	KT_EXPECT_EQ(t, sb.served, LOSSY_N);
	KT_EXPECT_EQ(t, sa.replies, LOSSY_N);
	KT_EXPECT_EQ(t, sa.timeouts + sa.late_replies, 0);
	KT_EXPECT_EQ(t, sb.no_reply_buf, 0);
	KT_EXPECT(t, lc.lost > 0 && lc.duplicated > 0 && lc.reordered > 0);
	rpc_peer_close(ls.p);
	rnode_fini(&a);
	rnode_fini(&b);
	simlink_free(l);
}
