/* WNOHANG: 0 while the child runs (it waits on a pipe), its pid once it
 * has exited; wait4 with an unknown pid is ECHILD, with bad options
 * EINVAL; a bad status pointer gives EFAULT for an exited child, which
 * is reaped all the same. */
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	int p[2], st = -1;
	siginfo_t si;
	pid_t kid;
	char c;

	abi_init(argc, argv);
	pipe(p);
	kid = xfork();
	if (kid == 0) {
		close(p[1]);
		read(p[0], &c, 1);
		_exit(c);
	}
	close(p[0]);
	SHOW(waitpid(kid, &st, WNOHANG));
	SHOW(waitpid(-1, &st, WNOHANG));
	SHOW(waitpid(kid, &st, 0x1000 | WNOHANG));
	SHOW(waitpid(kid, (int *)8, WNOHANG));
	SHOW(waitpid(99999999, &st, WNOHANG));
	write(p[1], "\x21", 1);
	SHOW(waitid(P_PID, (id_t)kid, &si, WEXITED | WNOWAIT));
	EXPECT(waitpid(kid, &st, 0) == kid);
	say("status: %s", status_str(st));
	SHOW(waitpid(-1, &st, WNOHANG));
	kid = xfork();
	if (kid == 0)
		_exit(4);
	SHOW(waitid(P_PID, (id_t)kid, &si, WEXITED | WNOWAIT));
	/* The child is reaped even though its status cannot be stored. */
	SHOW(waitpid(kid, (int *)8, 0));
	SHOW(waitpid(kid, &st, WNOHANG));
	return 0;
}
