/* Clock and tick: monotonic time, calibrated rate, sleeping. */
#include <tessera/arch.h>
#include <tessera/ktest.h>
#include <tessera/thread.h>
#include <tessera/time.h>

KTEST(time, monotonic)
{
	u64 prev = time_ns(), now;
	int backwards = 0;

	for (int i = 0; i < 100000; i++) {
		now = time_ns();
		backwards += now < prev;
		prev = now;
	}
	KT_EXPECT_EQ(t, backwards, 0);
	KT_EXPECT(t, prev > 0);
}

KTEST(time, calibrated_rate_is_plausible)
{
	u64 hz = arch_cycles_per_sec();

	ktest_log("cycle counter: %llu Hz", (unsigned long long)hz);
	KT_EXPECT(t, hz >= 10000000ull && hz <= 100000000000ull);
}

KTEST(time, sleep_waits_at_least_asked)
{
	u64 t0 = time_ns(), t1;

	thread_sleep_ns(30 * NSEC_PER_MSEC);
	t1 = time_ns();
	KT_EXPECT(t, t1 - t0 >= 30 * NSEC_PER_MSEC);
}

KTEST(time, tick_interrupts_arrive)
{
	u64 t0 = time_ns();

	/* hlt returns only on an interrupt: the tick must keep arriving */
	for (int i = 0; i < 5; i++)
		arch_wait_for_interrupt();
	KT_EXPECT(t, time_ns() > t0);
	KT_EXPECT(t, arch_irqs_enabled());
}

/* The CMOS clock says a date after this code was written, and the wall
 * clock moves with the monotonic one. */
KTEST(time, wall_clock_from_the_cmos_clock)
{
	u64 sec, w0 = walltime_ns(), m0 = time_ns(), w1;

	KT_ASSERT(t, arch_rtc_read(&sec) == 0);
	KT_EXPECT(t, sec > 1767225600ull); /* 2026-01-01 */
	KT_EXPECT(t, w0 / NSEC_PER_SEC + 1 >= sec && w0 / NSEC_PER_SEC <= sec + 1);
	thread_sleep_ns(20 * NSEC_PER_MSEC);
	w1 = walltime_ns();
	KT_EXPECT(t, w1 - w0 >= time_ns() - m0 - NSEC_PER_MSEC);
	KT_EXPECT(t, w1 - w0 <= time_ns() - m0 + 2 * NSEC_PER_SEC); /* the edge may move it */
}
