/*
 * Call load with verification (rpc_bench_echo, rpc_bench_sized in
 * tessera/net/rpc.h): used by the monitors' rpc_peers= boot argument and
 * by the Linux rpc-client, so both print the same numbers. Each caller
 * thread takes the next call index from a shared counter; lat[] holds one
 * latency per call. ECHO replies must equal the request; BENCH replies
 * must have the asked length and pattern (rpc_bench_fill).
 *
 * Locking: b->lock guards next, done_threads and the result counters.
 */
#include <tessera/cluster/diag.h>
#include <tessera/errno.h>
#include <tessera/lockrank.h>
#include <tessera/net/plat.h>
#include <tessera/net/rpc.h>
#include <tessera/sort.h>
#include <tessera/string.h>

#define BENCH_TIMEOUT_NS (5ull * 1000000000ull)

struct bench {
	struct rpc_peer *peer;
	struct netplat_lock *lock;
	struct netplat_cond *cond;
	u16 op;
	u32 count, req_len, reply_len, next, threads, done_threads;
	u64 *lat;
	struct rpc_bench_result r;
};

static void fill(struct rpc_echo_msg *m, u32 idx, u32 len)
{
	m->len = len;
	m->pad = idx;
	for (u32 i = 0; i < len; i++)
		m->data[i] = (u8)(idx * 13 + i);
}

void rpc_bench_fill(struct rpc_bench_msg *m, u32 seq, u32 len)
{
	m->reply_len = len;
	m->seq = seq;
	for (u32 i = 0; i + 8 < len; i++)
		m->data[i] = (u8)(seq * 7 + i);
}

static bool bench_reply_ok(const struct rpc_bench_msg *m, u32 seq, u32 len)
{
	if (m->reply_len != len || m->seq != seq)
		return false;
	for (u32 i = 0; i + 8 < len; i++)
		if (m->data[i] != (u8)(seq * 7 + i))
			return false;
	return true;
}

static int one_call(struct bench *b, u32 idx, struct rpc_echo_msg *req,
		    struct rpc_echo_msg *rep)
{
	struct rpc_bench_msg *breq = (void *)req;
	bool ok;
	int res;

	if (b->op == RPC_ECHO)
		fill(req, idx, b->req_len - 8);
	else
		*breq = (struct rpc_bench_msg){ .reply_len = b->reply_len,
						.seq = idx };
	res = rpc_call(b->peer, b->op, req, b->req_len, rep, sizeof(*rep),
		       BENCH_TIMEOUT_NS);
	if (res < 0)
		return res;
	if (b->op == RPC_ECHO)
		ok = (u32)res == b->req_len && !memcmp(req, rep, b->req_len);
	else
		ok = (u32)res == b->reply_len &&
		     bench_reply_ok((void *)rep, idx, b->reply_len);
	return ok ? res : -EBADMSG;
}

static void bench_note(struct bench *b, int res)
{
	b->r.sent++;
	if (res >= 0) {
		b->r.ok++;
		return;
	}
	b->r.failed++;
	if (!b->r.first_err)
		b->r.first_err = res;
}

static void bench_thread(void *arg)
{
	struct bench *b = arg;
	struct rpc_echo_msg *req = netplat_alloc(2 * sizeof(*req));
	struct rpc_echo_msg *rep = req + 1;

	netplat_lock(b->lock);
	while (req && b->next < b->count) {
		u32 idx = b->next++;
		u64 t0;
		int res;

		netplat_unlock(b->lock);
		t0 = netplat_now_ns();
		res = one_call(b, idx, req, rep);
		b->lat[idx] = netplat_now_ns() - t0;
		netplat_lock(b->lock);
		bench_note(b, res);
	}
	b->done_threads++;
	netplat_cond_broadcast(b->cond);
	netplat_unlock(b->lock);
	netplat_free(req);
}

static void bench_wait(struct bench *b)
{
	netplat_lock(b->lock);
	while (b->done_threads < b->threads)
		netplat_cond_wait(b->cond, b->lock,
				  netplat_now_ns() + BENCH_TIMEOUT_NS);
	netplat_unlock(b->lock);
}

static void bench_stats(struct bench *b)
{
	if (!b->count)
		return;
	sort_u64(b->lat, b->count);
	b->r.median_ns = b->lat[b->count / 2];
	b->r.p99_ns = b->lat[(u32)((u64)b->count * 99 / 100)];
}

static void bench_free(struct bench *b)
{
	if (b->cond)
		netplat_cond_free(b->cond);
	if (b->lock)
		netplat_lock_free(b->lock);
	netplat_free(b->lat);
}

static s64 peer_served(struct rpc_peer *peer)
{
	struct rpc_stats_msg m = { 0 };
	struct rpc_stats_reply r;

	if (rpc_call(peer, RPC_STATS, &m, sizeof(m), &r, sizeof(r),
		     BENCH_TIMEOUT_NS) != sizeof(r))
		return -1;
	return (s64)r.served;
}

static int bench_run(struct bench *b, u32 threads,
		     struct rpc_bench_result *out)
{
	s64 before, after;
	u64 t0;

	b->lat = netplat_alloc((size_t)(b->count ? b->count : 1) * sizeof(u64));
	b->lock = netplat_lock_new("rpc_bench", LOCK_RANK_RPC_BENCH);
	b->cond = netplat_cond_new();
	if (!b->lat || !b->lock || !b->cond) {
		bench_free(b);
		return -ENOMEM;
	}
	before = peer_served(b->peer);
	t0 = netplat_now_ns();
	/* b->threads is only read by this thread (bench_wait). */
	while (b->threads < threads &&
	       !netplat_thread_start("rpc-bench", bench_thread, b))
		b->threads++;
	bench_thread(b);
	bench_wait(b);
	b->r.elapsed_ns = netplat_now_ns() - t0;
	bench_stats(b);
	after = peer_served(b->peer);
	/* The first STATS call is served between the two snapshots. */
	b->r.served = before < 0 || after < 0 ? -1 : after - before - 1;
	*out = b->r;
	bench_free(b);
	return 0;
}

int rpc_bench_echo(struct rpc_peer *peer, u32 count, u32 threads,
		   u32 body_len, struct rpc_bench_result *out)
{
	struct bench b = { .peer = peer, .op = RPC_ECHO, .count = count,
			   .req_len = 8 + body_len, .threads = 1 };

	if (!threads || body_len > sizeof(struct rpc_echo_msg) - 8)
		return -EINVAL;
	return bench_run(&b, threads, out);
}

int rpc_bench_sized(struct rpc_peer *peer, u32 count, u32 threads,
		    u32 req_len, u32 reply_len, struct rpc_bench_result *out)
{
	struct bench b = { .peer = peer, .op = RPC_BENCH, .count = count,
			   .req_len = req_len, .reply_len = reply_len,
			   .threads = 1 };

	if (!threads || req_len < 8 || req_len > RPC_MAX_BODY ||
	    reply_len < 8 || reply_len > RPC_MAX_BODY)
		return -EINVAL;
	return bench_run(&b, threads, out);
}
