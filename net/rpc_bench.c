/*
 * Echo load with verification (rpc_bench_echo in tessera/netrpc.h): used
 * by the monitors' rpc_peers= boot argument and by the Linux rpc-client,
 * so both print the same numbers. Each caller thread takes the next call
 * index from a shared counter; lat[] holds one latency per call.
 *
 * Locking: b->lock guards next, done_threads and the result counters.
 */
#include <tessera/errno.h>
#include <tessera/netplat.h>
#include <tessera/netrpc.h>
#include <tessera/sort.h>
#include <tessera/string.h>

#define BENCH_TIMEOUT_NS (5ull * 1000000000ull)

struct bench {
	struct rpc_peer *peer;
	struct netplat_lock *lock;
	struct netplat_cond *cond;
	u32 count, body_len, next, threads, done_threads;
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

static int one_call(struct bench *b, u32 idx, struct rpc_echo_msg *req,
		    struct rpc_echo_msg *rep)
{
	u32 len = 8 + b->body_len;
	int res;

	fill(req, idx, b->body_len);
	res = rpc_call(b->peer, RPC_ECHO, req, len, rep, sizeof(*rep),
		       BENCH_TIMEOUT_NS);
	if (res >= 0 && ((u32)res != len || memcmp(req, rep, len)))
		res = -EBADMSG;
	return res;
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

int rpc_bench_echo(struct rpc_peer *peer, u32 count, u32 threads,
		   u32 body_len, struct rpc_bench_result *out)
{
	struct bench b = { .peer = peer, .count = count,
			   .body_len = body_len, .threads = 1 };
	s64 before, after;

	if (!threads || body_len > sizeof(struct rpc_echo_msg) - 8)
		return -EINVAL;
	b.lat = netplat_alloc((size_t)(count ? count : 1) * sizeof(u64));
	b.lock = netplat_lock_new();
	b.cond = netplat_cond_new();
	if (!b.lat || !b.lock || !b.cond) {
		bench_free(&b);
		return -ENOMEM;
	}
	before = peer_served(peer);
	/* b.threads is only read by this thread (bench_wait). */
	while (b.threads < threads &&
	       !netplat_thread_start("rpc-bench", bench_thread, &b))
		b.threads++;
	bench_thread(&b);
	bench_wait(&b);
	bench_stats(&b);
	after = peer_served(peer);
	/* The first STATS call is served between the two snapshots. */
	b.r.served = before < 0 || after < 0 ? -1 : after - before - 1;
	*out = b.r;
	bench_free(&b);
	return 0;
}
