/* ECHILD: waiting with no children at all, for a pid that is not a
 * child, for a grandchild, for a group with no children, and for a
 * child already reaped; WNOHANG does not change that. */
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	siginfo_t si;
	int st, p[2];
	pid_t kid, grandchild = 0;

	abi_init(argc, argv);
	SHOW(wait(&st));
	SHOW(waitpid(-1, &st, WNOHANG));
	SHOW(waitpid(getpid(), &st, 0));
	SHOW(waitid(P_ALL, 0, &si, WEXITED | WNOHANG));
	SHOW(waitpid(-getpgrp(), &st, 0));
	pipe(p);
	kid = xfork();
	if (kid == 0) {
		pid_t g = xfork();

		if (g == 0)
			_exit(0);
		write(p[1], &g, sizeof(g));
		waitpid(g, NULL, 0);
		_exit(0);
	}
	read(p[0], &grandchild, sizeof(grandchild));
	SHOW(waitpid(grandchild, &st, 0));
	reap(kid);
	SHOW(waitpid(kid, &st, 0));
	SHOW(waitpid(kid, &st, WNOHANG));
	return 0;
}
