/* Descriptors across execve: those without FD_CLOEXEC stay open with
 * their offsets (a file read 16 bytes into), those with it are closed
 * (O_CLOEXEC at open, F_SETFD, dup3 O_CLOEXEC, F_DUPFD_CLOEXEC, pipe2
 * O_CLOEXEC); a failed execve closes nothing. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	char buf[16], n[8][8];
	int keep, shut, p[2], q[2];
	char *args[10] = { "help_fds" };

	abi_init(argc, argv);
	keep = open(self_path(), O_RDONLY);
	shut = open(self_path(), O_RDONLY | O_CLOEXEC);
	read(keep, buf, sizeof(buf));
	pipe(p);
	pipe2(q, O_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	dup3(keep, 10, O_CLOEXEC);
	fcntl(keep, F_DUPFD_CLOEXEC, 20);
	say("fds %d %d %d %d %d %d", keep, shut, p[0], p[1], q[0], q[1]);
	SHOW(execve("/no/such/file", args, NULL));
	SHOW(fcntl(shut, F_GETFD));
	int fds[] = { keep, shut, p[0], p[1], q[0], q[1], 10, 20 };
	for (int i = 0; i < 8; i++) {
		snprintf(n[i], sizeof(n[i]), "%d", fds[i]);
		args[i + 1] = n[i];
	}
	args[9] = NULL;
	execve(sibling("help_fds"), args, NULL);
	say("execve: %s", ename(errno));
	return 1;
}
