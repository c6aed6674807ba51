/* nanosleep and clock_nanosleep really sleep: 200 ms takes at least 200
 * ms (and well under 5 s) on the monotonic clock; TIMER_ABSTIME sleeps
 * until a monotonic deadline and one in the past returns at once; bad
 * nanoseconds are EINVAL, a bad clock EINVAL (returned, not in errno,
 * for clock_nanosleep), a bad pointer EFAULT; usleep and sleep(0). */
#include <time.h>
#include <unistd.h>

#include "abi.h"

static void timed(const char *what, long long t0, int r, long min_ms)
{
	long long dt = mono_ms() - t0;

	say("%s: %d, >= %ld ms: %d, < 5 s: %d", what, r, min_ms, dt >= min_ms, dt < 5000);
}

int main(int argc, char **argv)
{
	struct timespec d = { 0, 200 * 1000 * 1000 }, abs, bad = { 0, 1000000000 };
	struct timespec *volatile badp = (struct timespec *)8;
	long long t0;

	abi_init(argc, argv);
	t0 = mono_ms();
	timed("nanosleep 200 ms", t0, nanosleep(&d, NULL), 200);
	t0 = mono_ms();
	timed("clock_nanosleep relative", t0, clock_nanosleep(CLOCK_MONOTONIC, 0, &d, NULL), 200);
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 300 * 1000 * 1000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	t0 = mono_ms();
	timed("clock_nanosleep absolute", t0,
	      clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL), 250);
	t0 = mono_ms();
	timed("absolute in the past", t0,
	      clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL), 0);
	t0 = mono_ms();
	timed("realtime clock", t0, clock_nanosleep(CLOCK_REALTIME, 0, &d, NULL), 200);
	t0 = mono_ms();
	timed("usleep 100000", t0, usleep(100000), 100);
	SHOW(sleep(0));
	SHOW(nanosleep(&bad, NULL));
	SHOW(nanosleep(badp, NULL));
	say("clock_nanosleep bad clock: %s", ename(clock_nanosleep(99, 0, &d, NULL)));
	say("clock_nanosleep bad ns: %s", ename(clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL)));
	return 0;
}
