/* Clocks: CLOCK_MONOTONIC never goes back over 10000 reads and advances
 * across a 50 ms sleep by about that much; MONOTONIC_RAW, BOOTTIME,
 * MONOTONIC_COARSE, REALTIME_COARSE, the CPU-time clocks all read;
 * clock_getres gives a positive resolution; unknown clocks are EINVAL; a
 * bad pointer EFAULT. */
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"

static long long ns(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000 + t->tv_nsec;
}

int main(int argc, char **argv)
{
	static const struct { clockid_t id; const char *name; } clocks[] = {
		{ CLOCK_REALTIME, "REALTIME" }, { CLOCK_MONOTONIC, "MONOTONIC" },
		{ CLOCK_PROCESS_CPUTIME_ID, "PROCESS_CPUTIME" },
		{ CLOCK_THREAD_CPUTIME_ID, "THREAD_CPUTIME" },
		{ CLOCK_MONOTONIC_RAW, "MONOTONIC_RAW" }, { CLOCK_REALTIME_COARSE, "REALTIME_COARSE" },
		{ CLOCK_MONOTONIC_COARSE, "MONOTONIC_COARSE" }, { CLOCK_BOOTTIME, "BOOTTIME" },
	};
	struct timespec a, b, r, nap = { 0, 50 * 1000 * 1000 };
	struct timespec *volatile bad = (struct timespec *)8;
	int back = 0;

	abi_init(argc, argv);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < 10000; i++) {
		clock_gettime(CLOCK_MONOTONIC, &b);
		back += ns(&b) < ns(&a);
		a = b;
	}
	say("went back: %d", back);
	clock_gettime(CLOCK_MONOTONIC, &a);
	nanosleep(&nap, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	say("50 ms sleep advanced it >= 50 ms: %d, < 5 s: %d", ns(&b) - ns(&a) >= 50000000,
	    ns(&b) - ns(&a) < 5000000000ll);
	for (unsigned i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		int g = clock_gettime(clocks[i].id, &a), s = clock_getres(clocks[i].id, &r);

		say("%s: gettime %d, nsec in range %d, getres %d, positive %d", clocks[i].name, g,
		    a.tv_nsec >= 0 && a.tv_nsec < 1000000000, s, ns(&r) > 0);
	}
	SHOW(clock_gettime(42, &a));
	SHOW(clock_getres(42, &r));
	/* Raw calls: a vDSO would fault in user space instead of EFAULT. */
	SHOW(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, bad));
	SHOW(syscall(SYS_gettimeofday, bad, NULL));
	SHOW(clock_getres(CLOCK_MONOTONIC, NULL));
	return 0;
}
