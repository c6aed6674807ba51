/* sigsuspend replaces the mask while it waits: with SIGUSR1 blocked, a
 * child's SIGUSR1 stays pending until sigsuspend(empty mask), which
 * returns -1 EINTR after the handler ran; the old mask (SIGUSR1 blocked)
 * is back afterwards. A signal that is ignored does not end it. */
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
	sigset_t usr1, empty, cur;
	pid_t kid;

	abi_init(argc, argv);
	signal(SIGUSR1, on_usr1);
	signal(SIGURG, SIG_IGN);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigemptyset(&empty);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	kid = xfork();
	if (kid == 0) {
		kill(getppid(), SIGURG);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	reap(kid);
	say("handled before sigsuspend: %d", hits);
	SHOW(sigsuspend(&empty));
	say("handled after: %d", hits);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	say("SIGUSR1 blocked again: %d", sigismember(&cur, SIGUSR1));
	return 0;
}
