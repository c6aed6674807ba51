/* ppoll and pselect6 swap in the given signal mask for the wait only: a
 * SIGUSR1 blocked outside, pending, is delivered during the call (EINTR,
 * the handler ran) and the old mask is back after it; a NULL mask keeps
 * the current one (the pending signal stays pending, the call times
 * out). Bad timeouts are EINVAL. */
#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <unistd.h>

#include "abi.h"

static volatile int hits;

static void on_usr1(int sig)
{
	hits++;
}

static void still_blocked(void)
{
	sigset_t cur;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	say("SIGUSR1 still blocked: %s", sigismember(&cur, SIGUSR1) ? "yes" : "no");
}

int main(int argc, char **argv)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 }, bad = { 0, 1000000000 };
	sigset_t usr1, none;
	struct pollfd f;
	fd_set rd;
	int p[2];

	abi_init(argc, argv);
	pipe(p);
	signal(SIGUSR1, on_usr1);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigemptyset(&none);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	f = (struct pollfd){ .fd = p[0], .events = POLLIN };
	raise(SIGUSR1);
	SHOW(ppoll(&f, 1, &ts, NULL));
	say("hits %d", hits);
	SHOW(ppoll(&f, 1, &ts, &none));
	say("hits %d", hits);
	still_blocked();
	raise(SIGUSR1);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	SHOW(pselect(p[0] + 1, &rd, NULL, NULL, &ts, &none));
	say("hits %d", hits);
	still_blocked();
	SHOW(ppoll(&f, 1, &bad, NULL));
	FD_SET(p[0], &rd);
	SHOW(pselect(p[0] + 1, &rd, NULL, NULL, &bad, NULL));
	return 0;
}
