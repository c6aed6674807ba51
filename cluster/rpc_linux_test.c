/*
 * The RPC layer on the Linux platform with real threads: two interfaces
 * joined by an in-process wire with a delivery thread, endpoints with
 * worker threads, connection setup with the blocking calls, and many
 * threads calling at once (rpc_bench_echo), every reply checked.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <tessera/cluster/diag.h>
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
static volatile bool wstop;

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
}

KTEST(rpc_linux, threaded_calls_exactly_checked)
{
	struct rpc_ep_config ec = { .window = 16, .workers = 3 };
	struct rpc_ep *ep[2];
	struct cm *cm[2];
	struct rpc_peer *p;
	struct rpc_bench_result r;
	struct rpc_stats st;

	plat_linux_set_xmit(wire_xmit);
	for (uintptr_t i = 0; i < 2; i++) {
		struct net_if_config c = { .mac = { 2, 0, 0, 0, 2, (u8)i },
					   .ip = 0x0a000201 + (u32)i,
					   .mtu = 1500, .port = (void *)i };

		KT_ASSERT(t, net_if_create(&c, &wifs[i]) == 0);
		KT_ASSERT(t, cm_create(wifs[i], &cm[i]) == 0);
		KT_ASSERT(t, rpc_ep_create(wifs[i], cm[i], &ec, &ep[i]) == 0);
		KT_ASSERT(t, rpc_diag_register(ep[i]) == 0);
	}
	KT_ASSERT(t, netplat_thread_start("wire", wire_thread, NULL) == 0);
	KT_ASSERT(t, rpc_connect(ep[0], 0x0a000202, 2000000000ull, &p) == 0);
	KT_ASSERT(t, rpc_bench_echo(p, 4000, 8, 256, &r) == 0);
	ktest_log("4000 calls on 8 threads: median %llu us p99 %llu us",
		  (unsigned long long)r.median_ns / 1000,
		  (unsigned long long)r.p99_ns / 1000);
	KT_EXPECT_EQ(t, r.sent, 4000);
	KT_EXPECT_EQ(t, r.ok, 4000);
	KT_EXPECT_EQ(t, r.failed, 0);
	rpc_get_stats(ep[1], &st);
	KT_EXPECT_EQ(t, r.served, 4000);
	KT_EXPECT_EQ(t, st.served, 4000 + 2); /* and two STATS calls */
	rpc_peer_close(p);
	rpc_ep_destroy(ep[0]);
	rpc_ep_destroy(ep[1]);
	wstop = true;
}
