/* Signals across fork: the child has the parent's handlers, ignored
 * signals and mask, but not its pending signals; a signal sent to the
 * child runs the inherited handler in the child only. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static volatile int hits;

static void on_usr1(int sig)
{
	hits++;
}

int main(int argc, char **argv)
{
	sigset_t set, pend, cur;
	struct sigaction sa;
	pid_t kid;

	abi_init(argc, argv);
	signal(SIGUSR1, on_usr1);
	signal(SIGUSR2, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGINT);
	kid = xfork();
	if (kid == 0) {
		sigpending(&pend);
		sigprocmask(SIG_BLOCK, NULL, &cur);
		sigaction(SIGUSR1, NULL, &sa);
		say("child: INT pending %d, INT blocked %d, USR1 handler %d", sigismember(&pend, SIGINT),
		    sigismember(&cur, SIGINT), sa.sa_handler == on_usr1);
		sigaction(SIGUSR2, NULL, &sa);
		say("child: USR2 ignored %d", sa.sa_handler == SIG_IGN);
		raise(SIGUSR1);
		say("child: hits %d", hits);
		_exit(0);
	}
	reap(kid);
	sigpending(&pend);
	say("parent: INT still pending %d, hits %d", sigismember(&pend, SIGINT), hits);
	signal(SIGINT, SIG_IGN);
	return 0;
}
