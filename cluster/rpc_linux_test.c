/*
 * The RPC layer on the Linux platform with real threads: two interfaces
 * joined by an in-process wire with a delivery thread, endpoints with
 * worker threads, connection setup with the blocking calls, many threads
 * calling at once (rpc_bench_echo), every reply checked; and the shared
 * connections of tessera/cluster/peer.h, where a caller stuck connecting
 * to a dead address must not hold up calls to a live one.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tessera/cluster/diag.h>
#include <tessera/cluster/peer.h>
#include <tessera/errno.h>
#include <tessera/ktest.h>
#include <tessera/net/cm.h>
#include <tessera/net/plat.h>
#include <tessera/net/rpc.h>
#include <tessera/net/stack.h>

#include "net/plat/plat_linux.h"

struct wframe {
	struct wframe *next;
	int to;
	size_t len;
	u8 data[];
};

static pthread_mutex_t wlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wcond = PTHREAD_COND_INITIALIZER;
static struct wframe *whead, **wtail = &whead;
static struct net_if *wifs[2];
static volatile bool wstop, wrunning;

static int wire_xmit(void *port, const void *frame, size_t len)
{
	struct wframe *f = malloc(sizeof(*f) + len);

	if (!f)
		return -ENOMEM;
	f->next = NULL;
	f->to = (int)(uintptr_t)port ^ 1;
	f->len = len;
	memcpy(f->data, frame, len);
	pthread_mutex_lock(&wlock);
	*wtail = f;
	wtail = &f->next;
	pthread_cond_signal(&wcond);
	pthread_mutex_unlock(&wlock);
	return 0;
}

static struct wframe *wire_take(void)
{
	struct timespec ts;
	struct wframe *f;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&wlock);
	if (!whead)
		pthread_cond_timedwait(&wcond, &wlock, &ts);
	f = whead;
	if (f && !(whead = f->next))
		wtail = &whead;
	pthread_mutex_unlock(&wlock);
	return f;
}

static void wire_thread(void *arg)
{
	u64 next_tick = 0;

	while (!wstop) {
		struct wframe *f = wire_take();

		if (f) {
			net_input(wifs[f->to], f->data, f->len);
			free(f);
		}
		if (netplat_now_ns() >= next_tick) {
			net_tick(wifs[0]);
			net_tick(wifs[1]);
			next_tick = netplat_now_ns() + 1000000;
		}
	}
	__atomic_store_n(&wrunning, false, __ATOMIC_RELEASE);
}

#define WIRE_IP(i) (0x0a000201 + (u32)(i))

struct wire_nodes {
	struct rpc_ep *ep[2];
	struct cm *cm[2];
};

static void wire_up(struct ktest_ctx *t, struct wire_nodes *w)
{
	struct rpc_ep_config ec = { .window = 16, .workers = 3 };

	plat_linux_set_xmit(wire_xmit);
	for (uintptr_t i = 0; i < 2; i++) {
		struct net_if_config c = { .mac = { 2, 0, 0, 0, 2, (u8)i },
					   .ip = WIRE_IP(i), .mtu = 1500,
					   .port = (void *)i };

		KT_ASSERT(t, net_if_create(&c, &wifs[i]) == 0);
		KT_ASSERT(t, cm_create(wifs[i], &w->cm[i]) == 0);
		KT_ASSERT(t, rpc_ep_create(wifs[i], w->cm[i], &ec, &w->ep[i]) == 0);
		KT_ASSERT(t, rpc_diag_register(w->ep[i]) == 0);
	}
	wstop = false;
	wrunning = true;
	KT_ASSERT(t, netplat_thread_start("wire", wire_thread, NULL) == 0);
}

static void wire_down(struct wire_nodes *w)
{
	rpc_ep_destroy(w->ep[0]);
	rpc_ep_destroy(w->ep[1]);
	wstop = true;
	while (__atomic_load_n(&wrunning, __ATOMIC_ACQUIRE))
		usleep(1000);
	for (int i = 0; i < 2; i++) {
		cm_destroy(w->cm[i]);
		net_if_destroy(wifs[i]);
	}
}

KTEST(rpc_linux, threaded_calls_exactly_checked)
{
	struct wire_nodes w;
	struct rpc_peer *p;
	struct rpc_bench_result r;
	struct rpc_stats st;

	wire_up(t, &w);
	KT_ASSERT(t, rpc_connect(w.ep[0], WIRE_IP(1), 2000000000ull, &p) == 0);
	KT_ASSERT(t, rpc_bench_echo(p, 4000, 8, 256, &r) == 0);
	ktest_log("4000 calls on 8 threads: median %llu us p99 %llu us",
		  (unsigned long long)r.median_ns / 1000,
		  (unsigned long long)r.p99_ns / 1000);
	KT_EXPECT_EQ(t, r.sent, 4000);
	KT_EXPECT_EQ(t, r.ok, 4000);
	KT_EXPECT_EQ(t, r.failed, 0);
	rpc_get_stats(w.ep[1], &st);
	KT_EXPECT_EQ(t, r.served, 4000);
	KT_EXPECT_EQ(t, st.served, 4000 + 2); /* and two STATS calls */
	rpc_peer_close(p);
	wire_down(&w);
}

/* A caller of the shared connections to an address nobody answers. */
struct dead_caller {
	struct peer_cache *pc;
	int result;
	int done; /* atomic */
};

#define DEAD_IP 0x0a000209u /* on the wire's subnet, no one there */

static void dead_caller_main(void *arg)
{
	struct dead_caller *d = arg;
	struct rpc_ping_msg m = { 1 };
	struct rpc_ping_reply r;

	d->result = peer_cache_call(d->pc, DEAD_IP, RPC_PING, &m, sizeof(m),
				    &r, sizeof(r), 5000000000ull);
	__atomic_store_n(&d->done, 1, __ATOMIC_RELEASE);
}

static u64 req_out(struct cm *cm)
{
	struct cm_stats s;

	cm_stats(cm, &s);
	return s.req_out;
}

KTEST(peer_cache, dead_peer_stalls_no_other_peer)
{
	struct wire_nodes w;
	struct dead_caller d = { 0 };
	struct rpc_ping_msg m = { 2 };
	struct rpc_ping_reply r;
	struct cm_stats sb;
	int ok = 0;

	wire_up(t, &w);
	KT_ASSERT(t, peer_cache_create(w.ep[0], &d.pc) == 0);
	KT_ASSERT(t, netplat_thread_start("dead", dead_caller_main, &d) == 0);
	while (req_out(w.cm[0]) == 0) /* it is connecting now */
		usleep(1000);
	for (int i = 0; i < 20; i++)
		ok += peer_cache_call(d.pc, WIRE_IP(1), RPC_PING, &m, sizeof(m),
				      &r, sizeof(r), 5000000000ull) ==
		      sizeof(r);
	KT_EXPECT_EQ(t, ok, 20);
	/* All twenty were answered while the dead address was still being
	 * tried, over one connection. */
	KT_EXPECT_EQ(t, __atomic_load_n(&d.done, __ATOMIC_ACQUIRE), 0);
	cm_stats(w.cm[1], &sb);
	KT_EXPECT_EQ(t, sb.conns, 1);
	while (!__atomic_load_n(&d.done, __ATOMIC_ACQUIRE))
		usleep(10000);
	KT_EXPECT_EQ(t, d.result, -ETIMEDOUT);
	peer_cache_destroy(d.pc);
	wire_down(&w);
}

/* Calls in flight together (peer_cache_call_start, then _wait): each gets
 * its own answer, over the one connection. One to no address, or to a
 * dead one (its connect times out), is not started: nothing to wait for. */
KTEST(peer_cache, calls_in_flight_together)
{
	struct wire_nodes w;
	struct peer_cache *pc;
	struct peer_pending pp[8], dead;
	struct rpc_ping_msg m[8];
	struct rpc_ping_reply r[8], dr;
	struct cm_stats sb;
	int ok = 0;

	wire_up(t, &w);
	KT_ASSERT(t, peer_cache_create(w.ep[0], &pc) == 0);
	for (int i = 0; i < 8; i++) {
		m[i] = (struct rpc_ping_msg){ (u64)i + 100 };
		KT_EXPECT_EQ(t, peer_cache_call_start(pc, WIRE_IP(1), RPC_PING, &m[i],
						      sizeof(m[i]), &r[i], sizeof(r[i]),
						      5000000000ull, &pp[i]), 0);
	}
	for (int i = 0; i < 8; i++)
		ok += peer_cache_call_wait(&pp[i]) == sizeof(r[i]);
	KT_EXPECT_EQ(t, ok, 8);
	cm_stats(w.cm[1], &sb);
	KT_EXPECT_EQ(t, sb.conns, 1);
	KT_EXPECT_EQ(t, peer_cache_call_start(pc, 0, RPC_PING, &m[0], sizeof(m[0]), &dr,
					      sizeof(dr), 1000000ull, &dead), -EHOSTUNREACH);
	KT_EXPECT(t, peer_cache_call_start(pc, DEAD_IP, RPC_PING, &m[0], sizeof(m[0]), &dr,
					   sizeof(dr), 300000000ull, &dead) < 0);
	peer_cache_destroy(pc);
	wire_down(&w);
}
