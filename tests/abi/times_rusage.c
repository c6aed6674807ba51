/* times, getrusage and sysconf(_SC_CLK_TCK): 100 ticks per second;
 * times returns a positive tick count; a busy loop adds user time; after
 * a child that burned CPU and was reaped, RUSAGE_CHILDREN and tms_cutime
 * count it, and not before it is reaped (a zombie's time is not yet
 * the parent's); wait4's rusage holds the child's own time; maxrss is
 * positive; RUSAGE_THREAD works; other "who" is EINVAL, a bad pointer
 * EFAULT. */
#include <sys/resource.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"

static volatile unsigned long sink;

static long long cpu_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Use ms of CPU time (at most 20 s of wall time on a busy machine). */
static void burn(long long ms)
{
	long long end = cpu_ms() + ms, give_up = mono_ms() + 20000;

	while (cpu_ms() < end && mono_ms() < give_up)
		for (int i = 0; i < 100000; i++)
			sink += (unsigned long)i;
}

/* User plus system time in ms. */
static long long ru_ms(const struct rusage *ru)
{
	return (ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1000LL +
	       (ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1000;
}

/* A child that burns 300 ms of CPU and exits 0. */
static pid_t burner(void)
{
	pid_t kid = xfork();

	if (kid == 0) {
		burn(300);
		_exit(0);
	}
	return kid;
}

/* A burner's time reaches RUSAGE_CHILDREN and tms_cutime when it is
 * reaped, not when it becomes a zombie. */
static void children_check(void)
{
	struct rusage kids;
	struct tms t;
	siginfo_t si;
	pid_t kid = burner();

	waitid(P_PID, (id_t)kid, &si, WEXITED | WNOWAIT);
	times(&t);
	say("zombie not counted yet: %d", t.tms_cutime == 0);
	reap(kid);
	getrusage(RUSAGE_CHILDREN, &kids);
	times(&t);
	say("children: user+sys >= 100 ms: %d, cutime > 0: %d", ru_ms(&kids) >= 100,
	    t.tms_cutime > 0);
}

/* wait4's rusage is the reaped child's own time. */
static void wait4_check(void)
{
	struct rusage ru;
	int st;

	wait4(burner(), &st, 0, &ru);
	say("wait4 rusage: >= 100 ms: %d, < 100 s: %d", ru_ms(&ru) >= 100,
	    ru_ms(&ru) < 100000);
}

int main(int argc, char **argv)
{
	struct rusage ru;
	struct tms t;
	clock_t c;

	abi_init(argc, argv);
	SHOW(sysconf(_SC_CLK_TCK));
	c = times(&t);
	say("times positive: %d", c > 0);
	burn(300);
	getrusage(RUSAGE_SELF, &ru);
	say("self: user time >= 100 ms: %d, maxrss > 0: %d", ru_ms(&ru) >= 100,
	    ru.ru_maxrss > 0);
	children_check();
	wait4_check();
	SHOW(getrusage(RUSAGE_THREAD, &ru));
	SHOW(getrusage(5, &ru));
	SHOW(getrusage(RUSAGE_SELF, (struct rusage *)8));
	return 0;
}
