/* EINTR from other blocking calls when a handler runs (an interval timer
 * every 100 ms): wait4 and read fail with EINTR without SA_RESTART and go
 * on with it; nanosleep and pause always fail with EINTR (nanosleep
 * reports time left); sigsuspend too. */
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"

static volatile int ticks;

static void on_tick(int sig)
{
	ticks++;
}

static void arm(int flags)
{
	struct itimerval it = { { 0, 100000 }, { 0, 100000 } };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_tick;
	sa.sa_flags = flags;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static void disarm(void)
{
	struct itimerval off = { { 0, 0 }, { 0, 0 } };

	setitimer(ITIMER_REAL, &off, NULL);
}

int main(int argc, char **argv)
{
	struct timespec long_nap = { 10, 0 }, left = { 0, 0 };
	int p[2], st, before;
	pid_t kid;
	sigset_t none;

	abi_init(argc, argv);
	pipe(p);
	kid = xfork();
	if (kid == 0) {
		char c;

		close(p[1]);
		read(p[0], &c, 1);
		_exit(3);
	}
	close(p[0]);
	arm(0);
	SHOW(waitpid(kid, &st, 0));
	SHOW(nanosleep(&long_nap, &left));
	say("time left reported: %d", left.tv_sec > 5 && left.tv_sec < 10);
	SHOW(pause());
	sigemptyset(&none);
	SHOW(sigsuspend(&none));
	disarm();
	arm(SA_RESTART);
	before = ticks;
	kid = xfork();
	if (kid == 0) {
		struct timespec t = { 0, 450 * 1000 * 1000 };

		nanosleep(&t, NULL);
		_exit(0);
	}
	SHOW(waitpid(kid, &st, 0) == kid);
	say("several ticks while waiting: %d", ticks - before >= 2);
	SHOW(nanosleep(&long_nap, NULL));
	disarm();
	write(p[1], "x", 1);
	wait(&st);
	say("first child: %s", status_str(st));
	return 0;
}
