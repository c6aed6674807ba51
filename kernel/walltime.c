/*
 * The wall clock: walltime_ns() = the offset from time_ns() to UTC, set at
 * boot from the CMOS clock, which has whole seconds only. A thread then
 * watches the CMOS clock for the start of its next second (polling every
 * 10 ms, for at most two seconds) and moves the offset onto that edge, so
 * the clock is right to about 10 ms from a second or so after boot, and
 * within a second before that. wall_offset is written by the boot thread
 * and that thread only, read by anyone (atomics).
 */
#include <tessera/arch.h>
#include <tessera/printk.h>
#include <tessera/role.h>
#include <tessera/thread.h>
#include <tessera/time.h>

#define WALLTIME_POLL_NS (10 * NSEC_PER_MSEC)
#define WALLTIME_WATCH_NS (2 * NSEC_PER_SEC)

static u64 wall_offset; /* walltime_ns() - time_ns(); 0: not known */

u64 walltime_ns(void)
{
	u64 off = __atomic_load_n(&wall_offset, __ATOMIC_ACQUIRE);

	return off ? off + time_ns() : 0;
}

static void walltime_set(u64 sec, u64 at_ns)
{
	__atomic_store_n(&wall_offset, sec * NSEC_PER_SEC - at_ns, __ATOMIC_RELEASE);
}

/* Wait for the CMOS second to change; its new value began "now". */
static void walltime_edge_main(void *arg)
{
	u64 first = (u64)(uintptr_t)arg, sec = first, until = time_ns() + WALLTIME_WATCH_NS;

	while (sec == first && time_ns() < until) {
		thread_sleep_ns(WALLTIME_POLL_NS);
		if (arch_rtc_read(&sec))
			return;
	}
	if (sec != first)
		walltime_set(sec, time_ns());
}

static int walltime_init(void)
{
	u64 sec;
	int err = arch_rtc_read(&sec);

	if (err) {
		pr_warn("walltime: no valid CMOS clock (%d): CLOCK_REALTIME starts at 1970\n", err);
		return 0;
	}
	walltime_set(sec, time_ns());
	return thread_spawn(walltime_edge_main, (void *)(uintptr_t)sec, "walltime");
}
INITCALL(walltime_init);
