/* SA_RESETHAND: the handler runs once, the disposition is then SIG_DFL
 * (sigaction reports it), and the signal is not blocked in the handler;
 * a second signal takes the default action (ends the child). */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static volatile int hits, blocked_inside;

static void on_usr1(int sig)
{
	sigset_t cur;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	blocked_inside = sigismember(&cur, SIGUSR1);
	hits++;
}

int main(int argc, char **argv)
{
	struct sigaction sa, now;
	pid_t kid;

	abi_init(argc, argv);
	kid = xfork();
	if (kid == 0) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_usr1;
		sa.sa_flags = SA_RESETHAND;
		sigaction(SIGUSR1, &sa, NULL);
		raise(SIGUSR1);
		sigaction(SIGUSR1, NULL, &now);
		say("hits %d, blocked inside %d, now default %d", hits, blocked_inside,
		    now.sa_handler == SIG_DFL);
		say("flags keep SA_RESETHAND: %d", (now.sa_flags & SA_RESETHAND) != 0);
		raise(SIGUSR1);
		say("survived the second");
		_exit(0);
	}
	reap(kid);
	return 0;
}
