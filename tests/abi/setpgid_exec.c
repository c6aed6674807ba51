/* A parent may change a child's group only until the child execs
 * (EACCES after); the child itself may still do it. getppid and the
 * group survive exec. */
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	char *args[] = { "help_echo", "exec'd", NULL };
	char *env[] = { "ABI_EXIT=0", NULL };
	int p[2], q[2], st;
	pid_t kid;
	char c;

	abi_init(argc, argv);
	if (argc > 1 && argv[1][0] == 'w') {
		/* Re-executed as the waiting child: fds 5 and 6 are its pipes. */
		write(6, "r", 1);
		read(5, &c, 1);
		SHOW(setpgid(0, 0));
		EXPECT(getpgrp() == getpid());
		return 0;
	}
	pipe(p);
	pipe(q);
	kid = xfork();
	if (kid == 0) {
		char *again[] = { "self", "waiting", NULL };

		dup2(p[0], 5);
		dup2(q[1], 6);
		execve(self_path(), again, env);
		_exit(127);
	}
	read(q[0], &c, 1);
	SHOW(setpgid(kid, kid));
	write(p[1], "x", 1);
	waitpid(kid, &st, 0);
	say("child: %s", status_str(st));
	(void)args;
	return 0;
}
