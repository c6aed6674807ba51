/* Blocked signals stay pending (sigpending shows them; a standard signal
 * sent three times is delivered once); unblocking delivers them all
 * before sigprocmask returns; an ignored signal that is blocked is still
 * queued, and setting SIG_IGN again discards it; sigpending's bad pointer
 * is EFAULT. */
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"

static volatile int n, usr1, usr2, term;

static void on_sig(int sig)
{
	n++;
	usr1 += sig == SIGUSR1;
	usr2 += sig == SIGUSR2;
	term += sig == SIGTERM;
}

int main(int argc, char **argv)
{
	sigset_t set, pend;
	void *volatile bad = (void *)8;

	abi_init(argc, argv);
	signal(SIGUSR1, on_sig);
	signal(SIGUSR2, on_sig);
	signal(SIGTERM, on_sig);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGTERM);
	kill(getpid(), SIGUSR2);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	signal(SIGHUP, SIG_IGN);
	kill(getpid(), SIGHUP);
	sigpending(&pend);
	say("pending: USR1 %d USR2 %d TERM %d HUP %d INT %d", sigismember(&pend, SIGUSR1),
	    sigismember(&pend, SIGUSR2), sigismember(&pend, SIGTERM), sigismember(&pend, SIGHUP),
	    sigismember(&pend, SIGINT));
	say("handled before unblocking: %d", n);
	signal(SIGHUP, SIG_IGN);
	sigpending(&pend);
	say("HUP pending after SIG_IGN again: %d", sigismember(&pend, SIGHUP));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	say("handled after: %d: USR1 %d USR2 %d TERM %d", n, usr1, usr2, term);
	sigpending(&pend);
	say("pending now: %d", sigismember(&pend, SIGUSR1));
	SHOW(syscall(SYS_rt_sigpending, bad, 8));
	return 0;
}
