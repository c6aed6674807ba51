/* sigtimedwait takes a blocked pending signal without running a handler
 * and fills siginfo; with nothing pending it times out (EAGAIN) after
 * the timeout; sigwaitinfo; an invalid timeout is EINVAL; a signal not in
 * the set but unblocked interrupts it (EINTR; musl's wrapper waits on);
 * real-time signals queue with their values, in order. */
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"

static volatile int handled;

static void on_sig(int sig)
{
	handled++;
}

int main(int argc, char **argv)
{
	struct timespec t = { 0, 100 * 1000 * 1000 }, bad = { 0, -1 };
	sigset_t set;
	siginfo_t si;
	long long t0;
	int r;

	abi_init(argc, argv);
	signal(SIGUSR2, on_sig);
	signal(SIGUSR1, on_sig);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR2);
	memset(&si, 0, sizeof(si));
	r = sigtimedwait(&set, &si, &t);
	say("got %s, code SI_USER %d, pid ok %d, handled %d", sname(r), si.si_code == SI_USER,
	    si.si_pid == getpid(), handled);
	t0 = mono_ms();
	SHOW(sigtimedwait(&set, &si, &t));
	say("waited >= 100 ms: %d", mono_ms() - t0 >= 100);
	SHOW(sigtimedwait(&set, &si, &bad));
	for (int i = 1; i <= 3; i++)
		sigqueue(getpid(), SIGRTMIN + 1, (union sigval){ .sival_int = i * 10 });
	for (int i = 0; i < 3; i++) {
		r = sigwaitinfo(&set, &si);
		say("rt: +%d value %d", r - SIGRTMIN, si.si_value.sival_int);
	}
	alarm(1);
	signal(SIGALRM, on_sig);
	t.tv_sec = 2;
	SHOW(sigtimedwait(&set, &si, &t));
	say("handled %d", handled);
	return 0;
}
