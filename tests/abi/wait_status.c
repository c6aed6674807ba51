/* wait4's status word, raw: exit(0) 0x0, exit(3) 0x300, SIGTERM 0xf,
 * SIGKILL 0x9, SIGSEGV 0xb (no core: RLIMIT_CORE 0), SIGABRT 0x6;
 * WUNTRACED stop 0x137f (SIGSTOP) / 0x147f (SIGTSTP); WCONTINUED
 * 0xffff; and the W* macros agree. */
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static void show_raw(const char *what, int st)
{
	say("%s: 0x%x (%s)", what, st, status_str(st));
}

static int finish(pid_t kid, int opts)
{
	int st = 0;

	waitpid(kid, &st, opts);
	return st;
}

static pid_t kid_that(int how)
{
	struct rlimit none = { 0, 0 };
	pid_t kid = xfork();

	if (kid) {
		setpgid(kid, kid);
		return kid;
	}
	/* A group of its own, not orphaned: SIGTSTP may stop it. */
	setpgid(0, 0);
	setrlimit(RLIMIT_CORE, &none);
	if (how == 0)
		_exit(0);
	if (how == 1)
		_exit(3);
	if (how == 2)
		*(volatile int *)0 = 1;
	if (how == 3)
		abort();
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	pid_t kid;

	abi_init(argc, argv);
	show_raw("exit 0", finish(kid_that(0), 0));
	show_raw("exit 3", finish(kid_that(1), 0));
	show_raw("SIGSEGV", finish(kid_that(2), 0));
	show_raw("abort", finish(kid_that(3), 0));
	kid = kid_that(4);
	kill(kid, SIGTERM);
	show_raw("SIGTERM", finish(kid, 0));
	kid = kid_that(4);
	kill(kid, SIGSTOP);
	show_raw("SIGSTOP", finish(kid, WUNTRACED));
	kill(kid, SIGCONT);
	show_raw("SIGCONT", finish(kid, WCONTINUED));
	kill(kid, SIGTSTP);
	show_raw("SIGTSTP", finish(kid, WUNTRACED));
	kill(kid, SIGKILL);
	show_raw("SIGKILL", finish(kid, 0));
	return 0;
}
