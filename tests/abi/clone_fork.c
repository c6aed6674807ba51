/* clone used as fork, as glibc's fork() issues it:
 * CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID|SIGCHLD with no new stack. The
 * child sees its tid in the settid word; the parent gets the child's pid
 * and SIGCHLD-style wait status; a plain clone(SIGCHLD) works too, and a
 * clone with an exit signal other than SIGCHLD needs __WALL/__WCLONE. */
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static pid_t tidword;

static long raw_clone(unsigned long flags, pid_t *ctid)
{
	return syscall(SYS_clone, flags, 0, NULL, ctid, 0);
}

int main(int argc, char **argv)
{
	sigset_t usr1, pend;
	long kid;
	int st;

	abi_init(argc, argv);
	kid = raw_clone(CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD, &tidword);
	if (kid == 0) {
		EXPECT(tidword == syscall(SYS_gettid));
		EXPECT(tidword == getpid());
		syscall(SYS_exit_group, 4);
	}
	if (kid < 0) {
		say("clone: %s", ename(errno));
		return 1;
	}
	reap((pid_t)kid);
	kid = raw_clone(SIGCHLD, NULL);
	if (kid == 0)
		syscall(SYS_exit_group, 5);
	reap((pid_t)kid);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	kid = raw_clone(SIGUSR1, NULL);
	if (kid == 0)
		syscall(SYS_exit_group, 6);
	if (kid > 0) {
		SHOW(waitpid((pid_t)kid, &st, WNOHANG));
		EXPECT(waitpid((pid_t)kid, &st, __WALL) == kid);
		say("status: %s", status_str(st));
		sigpending(&pend);
		EXPECT(sigismember(&pend, SIGUSR1));
	}
	return 0;
}
