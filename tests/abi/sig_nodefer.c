/* While a handler runs, its own signal is blocked, and so is sa_mask; with
 * SA_NODEFER it is not; the mask is back to what it was after the
 * handler; a signal raised inside its own handler is deferred to after
 * it (nesting depth 1), with SA_NODEFER it nests (depth 2). */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "abi.h"

static volatile int depth, max_depth, self_blocked, term_blocked, calls;

static void on_usr1(int sig)
{
	sigset_t cur;

	depth++;
	calls++;
	if (depth > max_depth)
		max_depth = depth;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	self_blocked = sigismember(&cur, SIGUSR1);
	term_blocked = sigismember(&cur, SIGTERM);
	if (calls == 1)
		raise(SIGUSR1);
	depth--;
}

static void run(int flags)
{
	struct sigaction sa;
	sigset_t after;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaction(SIGUSR1, &sa, NULL);
	calls = max_depth = 0;
	raise(SIGUSR1);
	sigprocmask(SIG_BLOCK, NULL, &after);
	say("%s: calls %d, max depth %d, self blocked %d, sa_mask blocked %d, after: %d %d",
	    flags ? "SA_NODEFER" : "default", calls, max_depth, self_blocked, term_blocked,
	    sigismember(&after, SIGUSR1), sigismember(&after, SIGTERM));
}

int main(int argc, char **argv)
{
	abi_init(argc, argv);
	run(0);
	run(SA_NODEFER);
	return 0;
}
