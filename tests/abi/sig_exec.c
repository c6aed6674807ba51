/* Signals across execve: caught signals go back to SIG_DFL, ignored ones
 * stay ignored, the blocked mask is kept and so are pending signals. */
#include <signal.h>
#include <unistd.h>

#include "abi.h"

static void on_sig(int sig)
{
}

int main(int argc, char **argv)
{
	char *args[] = { "help_sigs", NULL };
	sigset_t set;

	abi_init(argc, argv);
	signal(SIGUSR1, on_sig);
	signal(SIGUSR2, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGINT);
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	execve(sibling("help_sigs"), args, NULL);
	say("execve: %s", ename(errno));
	return 1;
}
