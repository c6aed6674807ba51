/* Signals a process sends itself, each step printing one deterministic
 * line (the same on Linux): a handler with siginfo, blocking and
 * rt_sigpending, SA_RESETHAND, SA_NODEFER nesting, sigsuspend, the
 * alternate stack, FPU registers kept across a handler, a SIGSEGV handler
 * leaving with siglongjmp, and a default action that ends the process
 * (argv[1] "term": dies of SIGTERM after its lines). With argv[1]
 * "pause" it only waits in pause() for SIGUSR1 from elsewhere. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t hits, depth, max_depth, calls, on_alt;
static volatile int info_ok;
static char altstack[65536];
static sigjmp_buf jump;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits++;
	info_ok = sig == SIGUSR1 && si->si_signo == SIGUSR1 && si->si_code == SI_USER &&
		  si->si_pid == getpid();
}

/* Raises itself until it ran three times: nested with SA_NODEFER, one
 * after the other without. */
static void on_nest(int sig)
{
	depth++;
	calls++;
	if (depth > max_depth)
		max_depth = depth;
	if (calls < 3)
		raise(sig);
	depth--;
}

static void on_alt_stack(int sig)
{
	char here;

	(void)sig;
	on_alt = &here >= altstack && &here < altstack + sizeof(altstack);
}

static void on_fpu(int sig)
{
	volatile double x = 3.0;

	(void)sig;
	for (int i = 0; i < 10; i++)
		x = x * 1.5 + 0.25;
	hits += x > 100;
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	siglongjmp(jump, sig == SIGSEGV && si->si_addr == (void *)16 ? 1 : 2);
}

static void set(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigaction(sig, &sa, NULL);
}

static void set_info(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigaction(sig, &sa, NULL);
}

static void step_handler_and_mask(void)
{
	sigset_t s, pend;

	set_info(SIGUSR1, on_usr1, 0);
	kill(getpid(), SIGUSR1);
	printf("handler: hits %d siginfo %s\n", hits, info_ok ? "ok" : "wrong");
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	sigpending(&pend);
	printf("blocked: hits %d pending %d\n", hits, sigismember(&pend, SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	printf("unblocked: hits %d (merged)\n", hits);
}

static void step_resethand_nodefer(void)
{
	struct sigaction old;

	set(SIGUSR2, on_nest, SA_NODEFER);
	raise(SIGUSR2);
	printf("nodefer: depth %d calls %d\n", max_depth, calls);
	max_depth = calls = 0;
	set(SIGUSR2, on_nest, 0);
	raise(SIGUSR2);
	printf("deferred: depth %d calls %d\n", max_depth, calls);
	calls = 2;
	set(SIGUSR2, on_nest, SA_RESETHAND);
	raise(SIGUSR2);
	sigaction(SIGUSR2, NULL, &old);
	printf("resethand: now %s\n", old.sa_handler == SIG_DFL ? "SIG_DFL" : "a handler");
}

static void step_suspend(void)
{
	sigset_t s, none;
	int r;

	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	kill(getpid(), SIGUSR1);
	sigemptyset(&none);
	hits = 0;
	r = sigsuspend(&none);
	printf("sigsuspend: %d %s hits %d\n", r, strerror(errno), hits);
	sigprocmask(SIG_SETMASK, NULL, &s);
	printf("mask after: usr1 %d\n", sigismember(&s, SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

static void step_altstack_fpu(void)
{
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	volatile double keep = 1.25;

	sigaltstack(&ss, NULL);
	set(SIGWINCH, on_alt_stack, SA_ONSTACK);
	raise(SIGWINCH);
	printf("altstack: %s\n", on_alt ? "on it" : "not on it");
	set(SIGWINCH, on_alt_stack, 0);
	raise(SIGWINCH);
	printf("no SA_ONSTACK: %s\n", on_alt ? "on it" : "not on it");
	hits = 0;
	set(SIGALRM, on_fpu, 0);
	keep = keep * 2;
	raise(SIGALRM);
	printf("fpu: %.2f after a handler that computed %d\n", keep * 2, hits);
}

static void step_segv(void)
{
	volatile uintptr_t addr = 16;
	int how;

	set_info(SIGSEGV, on_segv, 0);
	how = sigsetjmp(jump, 1);
	if (how == 0) {
		(void)*(volatile int *)addr;
		printf("segv: no fault\n");
		return;
	}
	printf("segv: left the handler by siglongjmp (%s)\n", how == 1 ? "si_addr ok" : "wrong");
	how = sigsetjmp(jump, 1);
	if (how == 0)
		(void)*(volatile int *)addr;
	printf("segv again: %s\n", how == 1 ? "caught" : "wrong");
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && !strcmp(argv[1], "pause")) {
		int r;

		set_info(SIGUSR1, on_usr1, 0);
		r = pause();
		printf("pause: %d %s hits %d\n", r, strerror(errno), hits);
		return 0;
	}
	step_handler_and_mask();
	step_resethand_nodefer();
	step_suspend();
	step_altstack_fpu();
	step_segv();
	if (argc > 1 && !strcmp(argv[1], "term")) {
		printf("term: raising SIGTERM\n");
		raise(SIGTERM);
		printf("term: still alive\n");
	}
	return 0;
}
