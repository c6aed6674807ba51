/* Helper: prints the disposition of SIGUSR1, SIGUSR2 and SIGTERM
 * (default, ignore or handler), whether SIGINT is blocked and whether
 * SIGINT and SIGHUP are pending. */
#include <signal.h>

#include "abi.h"

static const char *disp(int sig)
{
	struct sigaction sa;

	sigaction(sig, NULL, &sa);
	return sa.sa_handler == SIG_DFL ? "default" : sa.sa_handler == SIG_IGN ? "ignore" : "handler";
}

int main(int argc, char **argv)
{
	sigset_t cur, pend;

	abi_init(argc, argv);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	sigpending(&pend);
	say("helper: USR1 %s, USR2 %s, TERM %s", disp(SIGUSR1), disp(SIGUSR2), disp(SIGTERM));
	say("helper: INT blocked %d, INT pending %d, HUP pending %d", sigismember(&cur, SIGINT),
	    sigismember(&pend, SIGINT), sigismember(&pend, SIGHUP));
	return 0;
}
