/* An exited child stays a zombie until reaped: waitid(WEXITED|WNOWAIT)
 * reports it and leaves it waitable, kill(pid, 0) still finds it, wait4
 * then reaps it, after which kill and wait4 find nothing (ESRCH, ECHILD). */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	siginfo_t si;
	pid_t kid;
	int st;

	abi_init(argc, argv);
	kid = xfork();
	if (kid == 0)
		_exit(12);
	memset(&si, 0, sizeof(si));
	SHOW(waitid(P_PID, (id_t)kid, &si, WEXITED | WNOWAIT));
	EXPECT(si.si_pid == kid);
	say("si_code CLD_EXITED: %d, si_status %d", si.si_code == CLD_EXITED, si.si_status);
	SHOW(kill(kid, 0));
	memset(&si, 0, sizeof(si));
	SHOW(waitid(P_PID, (id_t)kid, &si, WEXITED | WNOWAIT));
	EXPECT(si.si_pid == kid);
	EXPECT(wait4(kid, &st, 0, NULL) == kid);
	say("status: %s", status_str(st));
	SHOW(kill(kid, 0));
	SHOW(wait4(kid, &st, 0, NULL));
	SHOW(waitid(P_PID, (id_t)kid, &si, WEXITED));
	return 0;
}
