/* A caught signal runs its handler with the signal number and then the
 * program goes on where it was: raise, kill(getpid()), and a signal from
 * a child; signal() and sigaction return the previous disposition; a
 * handler's writes to globals are seen after it returns. */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static volatile int got, count;

static void on_sig(int sig)
{
	got = sig;
	count++;
}

int main(int argc, char **argv)
{
	struct sigaction sa, old;
	pid_t kid;

	abi_init(argc, argv);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	SHOW(sigaction(SIGUSR1, &sa, &old));
	say("old is default: %d", old.sa_handler == SIG_DFL);
	SHOW(raise(SIGUSR1));
	say("got %s, count %d", sname(got), count);
	SHOW(kill(getpid(), SIGUSR1));
	say("got %s, count %d", sname(got), count);
	say("signal() returns the handler: %d", signal(SIGUSR2, on_sig) == SIG_DFL);
	say("and then ours: %d", signal(SIGUSR2, on_sig) == on_sig);
	kid = xfork();
	if (kid == 0) {
		kill(getppid(), SIGUSR2);
		_exit(0);
	}
	wait_until(&count, 3);
	say("got %s from the child, count %d", sname(got), count);
	reap(kid);
	sigaction(SIGUSR1, NULL, &old);
	say("query keeps it: %d", old.sa_handler == on_sig);
	return 0;
}
