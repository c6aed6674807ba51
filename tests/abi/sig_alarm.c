/* alarm(1) delivers SIGALRM after about a second (pause returns EINTR
 * once the handler ran); alarm returns the seconds left on the previous
 * alarm (rounded up), alarm(0) cancels; alarm shares ITIMER_REAL with
 * setitimer; an unhandled SIGALRM ends a child. */
#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static volatile int rang;

static void on_alarm(int sig)
{
	rang++;
}

int main(int argc, char **argv)
{
	struct itimerval it;
	long long t0;
	pid_t kid;

	abi_init(argc, argv);
	signal(SIGALRM, on_alarm);
	SHOW(alarm(10));
	SHOW(alarm(5));
	getitimer(ITIMER_REAL, &it);
	say("itimer sees it: %d", it.it_value.tv_sec >= 4 && it.it_value.tv_sec <= 5);
	SHOW(alarm(0));
	SHOW(alarm(0));
	t0 = mono_ms();
	alarm(1);
	SHOW(pause());
	say("rang %d after >= 900 ms: %d, < 5 s: %d", rang, mono_ms() - t0 >= 900,
	    mono_ms() - t0 < 5000);
	kid = xfork();
	if (kid == 0) {
		signal(SIGALRM, SIG_DFL);
		alarm(1);
		for (;;)
			pause();
	}
	reap(kid);
	return 0;
}
