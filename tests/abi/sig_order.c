/* When several caught signals become deliverable at once, Linux sets up
 * a frame for each before returning to user mode, lowest number first,
 * so the last one set up (the highest) runs first: unblocking USR1, USR2
 * and TERM runs TERM's handler, then USR2's, then USR1's. A handler's
 * sa_mask that blocks the others serializes them in number order. */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "abi.h"

static char order[16];
static volatile int n;

static void on_sig(int sig)
{
	order[n++] = sig == SIGUSR1 ? '1' : sig == SIGUSR2 ? '2' : sig == SIGTERM ? 'T' : '?';
}

static void run(int serialize)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGTERM);
	if (serialize)
		sa.sa_mask = set;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGTERM);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR2);
	n = 0;
	memset(order, 0, sizeof(order));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	say("%s: order %s", serialize ? "masked handlers" : "plain handlers", order);
}

int main(int argc, char **argv)
{
	abi_init(argc, argv);
	run(0);
	run(1);
	return 0;
}
