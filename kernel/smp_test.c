/*
 * The kernel under real concurrency: threads pinned to different CPUs (on
 * a 1-CPU machine they share the one) contend for a spinlock, a mutex and
 * a wait queue; unpinned CPU-bound threads spread over every CPU; a page
 * remapped on one CPU is seen remapped by another that had it in its TLB.
 */
#include <tessera/ktest.h>
#include <tessera/lock.h>
#include <tessera/mmu.h>
#include <tessera/mutex.h>
#include <tessera/pmm.h>
#include <tessera/thread.h>
#include <tessera/time.h>

#define SMP_SPINS 100000
#define SMP_WAIT_NS (20 * NSEC_PER_SEC) /* a bound against hangs, not a measure */

/* The last CPU: a different one from CPU 0 whenever there are two. */
static int smp_other_cpu(void)
{
	return sched_ncpus() - 1;
}

static struct {
	struct spinlock lock;
	volatile u64 counter;   /* lock */
	volatile u32 started;
	int cpu[2];
} st;

static void st_worker(void *arg)
{
	int me = (int)(long)arg;

	__atomic_fetch_add(&st.started, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&st.started, __ATOMIC_SEQ_CST) < 2)
		thread_yield(); /* start together, so they really contend */
	for (int i = 0; i < SMP_SPINS; i++) {
		spin_lock(&st.lock);
		st.counter = st.counter + 1; /* a plain read-modify-write */
		spin_unlock(&st.lock);
	}
	st.cpu[me] = sched_cpu_index();
}

KTEST(smp, spinlock_counts_exactly)
{
	struct thread *a, *b;

	spin_init(&st.lock, "smp-test-spin", LOCK_RANK_TEST_INNER);
	st.counter = st.started = 0;
	a = thread_create_on(st_worker, (void *)0L, "spin-a", 0);
	b = thread_create_on(st_worker, (void *)1L, "spin-b", smp_other_cpu());
	KT_ASSERT(t, a && b);
	thread_join(a);
	thread_join(b);
	KT_EXPECT_EQ(t, st.counter, 2 * SMP_SPINS);
	KT_EXPECT_EQ(t, st.cpu[0], 0);
	KT_EXPECT_EQ(t, st.cpu[1], smp_other_cpu());
}

static struct {
	struct mutex lock;
	u64 counter;            /* lock */
	int inside, max_inside; /* lock */
} mx;

static void mx_worker(void *arg)
{
	for (int i = 0; i < 2000; i++) {
		mutex_lock(&mx.lock);
		u64 v = mx.counter;

		if (++mx.inside > mx.max_inside)
			mx.max_inside = mx.inside;
		if (i % 64 == 0)
			thread_yield(); /* let the others queue up on it */
		mx.counter = v + 1;
		mx.inside--;
		mutex_unlock(&mx.lock);
	}
}

KTEST(smp, mutex_counts_exactly)
{
	struct thread *th[4];

	mutex_init(&mx.lock, "smp-test-mutex", LOCK_RANK_TEST_MUTEX);
	mx.counter = 0;
	mx.max_inside = 0;
	for (int i = 0; i < 4; i++) {
		th[i] = thread_create_on(mx_worker, NULL, "mutex-smp",
					 i % 2 ? smp_other_cpu() : 0);
		KT_ASSERT(t, th[i] != NULL);
	}
	for (int i = 0; i < 4; i++)
		thread_join(th[i]);
	KT_EXPECT_EQ(t, mx.counter, 4 * 2000);
	KT_EXPECT_EQ(t, mx.max_inside, 1);
}

#define PP_ROUNDS 2000

static struct {
	struct wait_queue wq;
	volatile int turn;
	int rounds[2];
	bool timed_out;
} pp;

/* Thread me waits for its turn, passes it on and wakes the other. */
static void pp_worker(void *arg)
{
	int me = (int)(long)arg;

	for (int i = 0; i < PP_ROUNDS; i++) {
		if (!wait_event_timeout(&pp.wq, pp.turn == me, SMP_WAIT_NS)) {
			pp.timed_out = true;
			return;
		}
		pp.rounds[me]++;
		__atomic_store_n(&pp.turn, !me, __ATOMIC_SEQ_CST);
		wake_up_all(&pp.wq);
	}
}

KTEST(smp, wait_queue_ping_pong)
{
	struct thread *a, *b;

	wait_queue_init(&pp.wq);
	pp.turn = 0;
	pp.rounds[0] = pp.rounds[1] = 0;
	pp.timed_out = false;
	a = thread_create_on(pp_worker, (void *)0L, "ping", 0);
	b = thread_create_on(pp_worker, (void *)1L, "pong", smp_other_cpu());
	KT_ASSERT(t, a && b);
	thread_join(a);
	thread_join(b);
	KT_EXPECT(t, !pp.timed_out);
	KT_EXPECT_EQ(t, pp.rounds[0], PP_ROUNDS);
	KT_EXPECT_EQ(t, pp.rounds[1], PP_ROUNDS);
}

static volatile u32 spread_mask;

/* CPU-bound for a while, noting every CPU it runs on. */
static void spread_worker(void *arg)
{
	u64 end = time_ns() + 100 * NSEC_PER_MSEC;

	while (time_ns() < end)
		__atomic_fetch_or(&spread_mask, 1u << sched_cpu_index(), __ATOMIC_RELAXED);
}

KTEST(smp, unpinned_threads_use_every_cpu)
{
	struct thread *th[4];
	u32 all = (1u << sched_ncpus()) - 1;

	spread_mask = 0;
	for (int i = 0; i < 4; i++) {
		th[i] = thread_create(spread_worker, NULL, "spread");
		KT_ASSERT(t, th[i] != NULL);
	}
	for (int i = 0; i < 4; i++)
		thread_join(th[i]);
	KT_EXPECT_EQ(t, spread_mask, all);
}

#define TLB_VA 0x40000000ull

static struct {
	struct mmu_space *space;
	volatile int phase; /* 1: reader holds the old entry, 2: remapped, 3: done */
	u64 before, after;
	int cpu;
} tl;

static bool tl_wait(int phase)
{
	u64 end = time_ns() + SMP_WAIT_NS;

	while (__atomic_load_n(&tl.phase, __ATOMIC_ACQUIRE) < phase) {
		if (time_ns() > end)
			return false;
		if (sched_ncpus() == 1)
			thread_yield();
	}
	return true;
}

/* Reads the page, then (interrupts off on a CPU of its own: no switch
 * reloads its TLB) waits for the remap and reads again. */
static void tl_reader(void *arg)
{
	bool alone = sched_ncpus() > 1;

	mmu_space_activate(tl.space);
	if (alone)
		irq_push_off();
	tl.before = *(volatile u64 *)TLB_VA;
	tl.cpu = sched_cpu_index();
	__atomic_store_n(&tl.phase, 1, __ATOMIC_RELEASE);
	if (tl_wait(2))
		tl.after = *(volatile u64 *)TLB_VA;
	if (alone)
		irq_pop_off();
	mmu_space_activate(mmu_kernel());
	__atomic_store_n(&tl.phase, 3, __ATOMIC_RELEASE);
}

static void tl_remap(void *arg)
{
	paddr_t *pa = arg;

	if (!tl_wait(1))
		return;
	mmu_unmap(tl.space, TLB_VA);
	mmu_map(tl.space, TLB_VA, pa[1], MMU_READ | MMU_WRITE);
	__atomic_store_n(&tl.phase, 2, __ATOMIC_RELEASE);
}

KTEST(smp, remap_seen_by_the_other_cpu)
{
	u64 *page[2] = { page_alloc_zeroed(), page_alloc_zeroed() };
	paddr_t pa[2];
	struct thread *r, *w;

	KT_ASSERT(t, page[0] && page[1]);
	pa[0] = virt_to_phys(page[0]);
	pa[1] = virt_to_phys(page[1]);
	*page[0] = 0x1111;
	*page[1] = 0x2222;
	tl.space = mmu_space_create();
	KT_ASSERT(t, tl.space != NULL);
	KT_ASSERT(t, mmu_map(tl.space, TLB_VA, pa[0], MMU_READ | MMU_WRITE) == 0);
	tl.phase = 0;
	tl.before = tl.after = 0;
	r = thread_create_on(tl_reader, NULL, "tlb-reader", smp_other_cpu());
	w = thread_create_on(tl_remap, pa, "tlb-remap", 0);
	KT_ASSERT(t, r && w);
	thread_join(w);
	thread_join(r);
	KT_EXPECT_EQ(t, tl.before, 0x1111);
	KT_EXPECT_EQ(t, tl.after, 0x2222);
	KT_EXPECT_EQ(t, tl.cpu, smp_other_cpu());
	mmu_space_destroy(tl.space);
	page_free(pa[0], 0);
	page_free(pa[1], 0);
}
