/* sigprocmask: SIG_BLOCK adds, SIG_UNBLOCK removes, SIG_SETMASK sets;
 * SIGKILL and SIGSTOP are silently left out; an unknown "how" is EINVAL
 * (and changes nothing); the raw call wants sigsetsize 8. sigaction
 * refuses SIGKILL/SIGSTOP handlers and signal numbers 0 and 65 (EINVAL)
 * but may query SIGKILL; sa_mask never holds SIGKILL. */
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"

static void show_mask(const char *what)
{
	sigset_t cur;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	say("%s: USR1 %d USR2 %d TERM %d KILL %d STOP %d", what, sigismember(&cur, SIGUSR1),
	    sigismember(&cur, SIGUSR2), sigismember(&cur, SIGTERM), sigismember(&cur, SIGKILL),
	    sigismember(&cur, SIGSTOP));
}

static void on_sig(int sig)
{
}

int main(int argc, char **argv)
{
	sigset_t a, b;
	struct sigaction sa, q;
	unsigned long raw = 0;

	abi_init(argc, argv);
	sigemptyset(&a);
	sigaddset(&a, SIGUSR1);
	sigaddset(&a, SIGKILL);
	sigaddset(&a, SIGSTOP);
	SHOW(sigprocmask(SIG_BLOCK, &a, NULL));
	show_mask("block USR1 KILL STOP");
	sigemptyset(&b);
	sigaddset(&b, SIGUSR2);
	sigprocmask(SIG_BLOCK, &b, NULL);
	show_mask("block USR2");
	sigprocmask(SIG_UNBLOCK, &a, NULL);
	show_mask("unblock USR1");
	sigaddset(&b, SIGTERM);
	sigprocmask(SIG_SETMASK, &b, NULL);
	show_mask("setmask USR2 TERM");
	SHOW(sigprocmask(99, &a, NULL));
	show_mask("after bad how");
	SHOW(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &raw, 4));
	SHOW(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &raw, 8));
	say("raw mask 0x%lx", raw);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	SHOW(sigaction(SIGKILL, &sa, NULL));
	SHOW(sigaction(SIGSTOP, &sa, NULL));
	SHOW(sigaction(SIGKILL, NULL, &q));
	SHOW(syscall(SYS_rt_sigaction, 0, NULL, &q, 8));
	SHOW(syscall(SYS_rt_sigaction, 65, NULL, &q, 8));
	SHOW(syscall(SYS_rt_sigaction, SIGUSR1, NULL, &q, 4));
	sigfillset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR1, NULL, &q);
	say("sa_mask: KILL %d STOP %d TERM %d", sigismember(&q.sa_mask, SIGKILL),
	    sigismember(&q.sa_mask, SIGSTOP), sigismember(&q.sa_mask, SIGTERM));
	return 0;
}
