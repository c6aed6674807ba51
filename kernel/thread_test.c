/* Threads, preemption, wait queues and sleeping. */
#include <tessera/ktest.h>
#include <tessera/thread.h>
#include <tessera/time.h>
#include <tessera/wait.h>

struct tt_shared {
	struct wait_queue wq;
	volatile int stage;
	volatile u64 counter;
	volatile bool stop;
	int order[8];
	volatile int norder;
};

static void tt_spin(void *arg)
{
	struct tt_shared *s = arg;

	while (!s->stop)
		s->counter++;
}

KTEST(thread, preemption_lets_others_run)
{
	static struct tt_shared s;
	struct thread *th;
	u64 t0;

	s.stop = false;
	s.counter = 0;
	th = thread_create(tt_spin, &s, "spinner");
	KT_ASSERT(t, th != NULL);
	/* busy loop without yielding: only the tick can switch to the spinner */
	t0 = time_ns();
	while (s.counter == 0 && time_ns() - t0 < 2 * NSEC_PER_SEC)
		;
	KT_EXPECT(t, s.counter > 0);
	s.stop = true;
	thread_join(th);
}

static void tt_waiter(void *arg)
{
	struct tt_shared *s = arg;
	int me;

	wait_event(&s->wq, s->stage >= 1);
	me = __atomic_fetch_add(&s->norder, 1, __ATOMIC_SEQ_CST);
	s->order[me] = 1;
}

KTEST(thread, wait_queue_wakes_all_waiters)
{
	static struct tt_shared s;
	struct thread *th[4];

	wait_queue_init(&s.wq);
	s.stage = 0;
	s.norder = 0;
	for (int i = 0; i < 4; i++) {
		th[i] = thread_create(tt_waiter, &s, "waiter");
		KT_ASSERT(t, th[i] != NULL);
	}
	thread_sleep_ns(20 * NSEC_PER_MSEC);
	KT_EXPECT_EQ(t, s.norder, 0); /* nobody passed before the condition */
	s.stage = 1;
	wake_up_all(&s.wq);
	for (int i = 0; i < 4; i++)
		thread_join(th[i]);
	KT_EXPECT_EQ(t, s.norder, 4);
}

KTEST(thread, wait_timeout_expires)
{
	static struct tt_shared s;
	u64 t0 = time_ns();
	bool ok;

	wait_queue_init(&s.wq);
	s.stage = 0;
	ok = wait_event_timeout(&s.wq, s.stage == 1, 20 * NSEC_PER_MSEC);
	KT_EXPECT(t, !ok);
	KT_EXPECT(t, time_ns() - t0 >= 20 * NSEC_PER_MSEC);
}

static void tt_pingpong(void *arg)
{
	struct tt_shared *s = arg;

	for (int i = 0; i < 100; i++) {
		wait_event(&s->wq, s->stage % 2 == 1);
		s->stage++;
		wake_up_all(&s->wq);
	}
}

KTEST(thread, ping_pong_no_lost_wakeups)
{
	static struct tt_shared s;
	struct thread *th;

	wait_queue_init(&s.wq);
	s.stage = 0;
	th = thread_create(tt_pingpong, &s, "pong");
	KT_ASSERT(t, th != NULL);
	for (int i = 0; i < 100; i++) {
		s.stage++;
		wake_up_all(&s.wq);
		KT_ASSERT(t, wait_event_timeout(&s.wq, s.stage % 2 == 0, 5 * NSEC_PER_SEC));
	}
	KT_EXPECT_EQ(t, s.stage, 200);
	thread_join(th);
}

struct tt_sleep {
	struct tt_shared *shared;
	int ms;
};

static void tt_sleeper(void *arg)
{
	struct tt_sleep *sl = arg;
	int me;

	thread_sleep_ns((u64)sl->ms * NSEC_PER_MSEC);
	me = __atomic_fetch_add(&sl->shared->norder, 1, __ATOMIC_SEQ_CST);
	sl->shared->order[me] = sl->ms;
}

KTEST(thread, sleepers_wake_in_deadline_order)
{
	static struct tt_shared s;
	static struct tt_sleep sl[3] = { { &s, 150 }, { &s, 10 }, { &s, 80 } };
	struct thread *th[3];

	s.norder = 0;
	for (int i = 0; i < 3; i++) {
		th[i] = thread_create(tt_sleeper, &sl[i], "sleeper");
		KT_ASSERT(t, th[i] != NULL);
	}
	for (int i = 0; i < 3; i++)
		thread_join(th[i]);
	KT_EXPECT_EQ(t, s.norder, 3);
	KT_EXPECT_EQ(t, s.order[0], 10);
	KT_EXPECT_EQ(t, s.order[1], 80);
	KT_EXPECT_EQ(t, s.order[2], 150);
}
