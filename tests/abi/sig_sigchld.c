/* SIGCHLD: a handler learns of each child's exit (siginfo CLD_EXITED
 * with its status, CLD_KILLED with the signal); with SIGCHLD set to
 * SIG_IGN, or SA_NOCLDWAIT, children leave no zombie: wait blocks until
 * they are gone and then fails with ECHILD. */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static volatile int hits, last_code, last_status;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	last_code = si->si_code;
	last_status = si->si_status;
	hits++;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	pid_t kid;

	abi_init(argc, argv);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	kid = xfork();
	if (kid == 0)
		_exit(23);
	wait_until(&hits, 1);
	say("exit: hits %d, CLD_EXITED %d, status %d", hits, last_code == CLD_EXITED,
	    last_status);
	reap(kid);
	kid = xfork();
	if (kid == 0)
		for (;;)
			pause();
	kill(kid, SIGTERM);
	wait_until(&hits, 2);
	say("kill: hits %d, CLD_KILLED %d, status %s", hits, last_code == CLD_KILLED,
	    sname(last_status));
	reap(kid);

	signal(SIGCHLD, SIG_IGN);
	kid = xfork();
	if (kid == 0)
		_exit(1);
	SHOW(waitpid(kid, NULL, 0));
	sa.sa_flags = SA_SIGINFO | SA_NOCLDWAIT;
	sigaction(SIGCHLD, &sa, NULL);
	hits = 0;
	kid = xfork();
	if (kid == 0)
		_exit(2);
	SHOW(wait(NULL));
	wait_until(&hits, 1);
	say("SA_NOCLDWAIT still signals: %d", hits);
	return 0;
}
