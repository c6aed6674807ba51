/*
 * A system call fuzzer for the pMonitor (scenario run-fuzz): for each
 * seed given, CALLS random system calls (default 100000) with hostile
 * arguments -- zero, -1, small and huge numbers, NULL+8, kernel and
 * unmapped addresses, addresses at page edges, pointers into a buffer of
 * its own, random words. The calls run in children, up to CHUNK calls
 * each, with stdin, stdout and stderr on /dev/null and a SIGALRM every
 * 50 ms (a handler that returns, so a blocking call ends with EINTR);
 * each child reports through a pipe how many calls it made, every
 * REPORT calls. A child a call killed (a fault, a signal it sent itself,
 * its own timer undone) or that hangs HANG_MS is replaced and the next
 * chunk goes on (the chunks are functions of the seed alone) until the
 * calls counted -- only those reported -- reach CALLS. Calls that would end
 * or replace the fuzzer or reach other processes are not made: exit,
 * exit_group, execve, execveat, fork, vfork, clone, clone3, rt_sigreturn,
 * kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo, reboot,
 * pidfd_send_signal; nor those that would undo the timer (rt_sigprocmask,
 * setitimer, alarm, and rt_sigaction of SIGALRM). Prints per seed the calls made and how the chunks
 * ended (a count of children ended by a signal, and of hung ones killed);
 * exits 0 unless it could not run.
 * Usage: sysfuzz [-n CALLS] SEED...
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 1000
#define REPORT 50
#define NR_MAX 450
#define HANG_MS 3000

static const int denied[] = {
	SYS_exit, SYS_exit_group, SYS_execve, SYS_execveat, SYS_fork, SYS_vfork, SYS_clone,
	435 /* clone3 */, SYS_rt_sigreturn, SYS_kill, SYS_tkill, SYS_tgkill,
	SYS_rt_sigqueueinfo, SYS_rt_tgsigqueueinfo, SYS_reboot, 424 /* pidfd_send_signal */,
	SYS_rt_sigprocmask, SYS_setitimer, SYS_alarm,
};

static uint64_t rng;
static unsigned char buf[3 * 4096];

/* xorshift64*: the sequence is a function of the seed alone. */
static uint64_t next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dull;
}

static uint64_t hostile(void)
{
	switch (next() % 12) {
	case 0: return 0;
	case 1: return (uint64_t)-1;
	case 2: return next() % 16;
	case 3: return next() % 4096;
	case 4: return 8; /* NULL + 8 */
	case 5: return 0xffff800000000000ull + (next() % 4096);
	case 6: return 0x7ffffffff000ull + (next() % 8192); /* the top of user space */
	case 7: return (uint64_t)(uintptr_t)buf + (next() % sizeof(buf));
	case 8: return (uint64_t)(uintptr_t)buf + 4096 - (next() % 16); /* a page edge */
	case 9: return 1ull << (next() % 64);
	case 10: return (uint64_t)INT32_MAX + (next() % 4);
	default: return next();
	}
}

static int allowed(long nr)
{
	for (size_t i = 0; i < sizeof(denied) / sizeof(denied[0]); i++)
		if (nr == denied[i])
			return 0;
	return 1;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* Tell the parent, on report (a pipe), how many calls were made. */
static void tell(int report, int made)
{
	if (write(report, &made, sizeof(made)) != sizeof(made))
		_exit(3);
}

/* One chunk of the sequence (the rng is set for it). */
static void run_chunk(int report)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { { 0, 50000 }, { 0, 50000 } };
	int null = open("/dev/null", O_RDWR), made = 0;

	for (int fd = 0; fd < 3 && null >= 0; fd++)
		dup2(null, fd);
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	for (int i = 0; i < CHUNK; i++) {
		long nr = (long)(next() % NR_MAX);
		uint64_t a[6];

		for (int k = 0; k < 6; k++)
			a[k] = hostile();
		if (!allowed(nr) || (nr == SYS_write && a[0] == (uint64_t)report) ||
		    (nr == SYS_rt_sigaction && a[0] == SIGALRM))
			continue;
		syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (++made % REPORT == 0)
			tell(report, made);
	}
	tell(report, made);
	_exit(0);
}

/* The last count the child reported on the pipe rd (its write end
 * closed), 0 if none. */
static int reported(int rd)
{
	int v, last = 0;

	fcntl(rd, F_SETFL, O_NONBLOCK);
	while (read(rd, &v, sizeof(v)) == sizeof(v))
		last = v;
	return last;
}

/* Wait for kid, killing it if it hangs: 0 exited, 1 a signal ended it,
 * 2 it hung and was killed. */
static int reap(pid_t kid)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int st;

	for (int ms = 0; ms < HANG_MS; ms += 10) {
		if (waitpid(kid, &st, WNOHANG) == kid)
			return WIFSIGNALED(st) ? 1 : 0;
		nanosleep(&tick, NULL);
	}
	kill(kid, SIGKILL);
	waitpid(kid, &st, 0);
	return 2;
}

static int fuzz_seed(uint64_t seed, long calls)
{
	long made = 0, chunks = 0, signaled = 0, hung = 0;

	for (; made < calls; chunks++) {
		int p[2], r;
		pid_t kid;

		rng = (seed + 1) * 0x9e3779b97f4a7c15ull + (uint64_t)chunks;
		if (pipe(p))
			return perror("pipe"), 1;
		kid = fork();
		if (kid < 0)
			return perror("fork"), 1;
		if (kid == 0) {
			close(p[0]);
			run_chunk(p[1]);
		}
		close(p[1]);
		r = reap(kid);
		made += reported(p[0]);
		close(p[0]);
		signaled += r == 1;
		hung += r == 2;
	}
	printf("seed %llu: calls=%ld chunks=%ld signaled=%ld hung=%ld\n",
	       (unsigned long long)seed, made, chunks, signaled, hung);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	long calls = 100000;
	int i = 1;

	if (argc > 2 && !strcmp(argv[1], "-n")) {
		calls = atol(argv[2]);
		i = 3;
	}
	if (i >= argc || calls <= 0) {
		fprintf(stderr, "usage: sysfuzz [-n CALLS] SEED...\n");
		return 1;
	}
	for (; i < argc; i++)
		if (fuzz_seed(strtoull(argv[i], NULL, 10), calls))
			return 1;
	return 0;
}
