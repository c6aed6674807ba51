/* waitid's siginfo: SIGCHLD, the child's pid and uid, si_code
 * CLD_EXITED/CLD_KILLED/CLD_STOPPED/CLD_CONTINUED with si_status the exit
 * status or signal; WNOHANG with nothing to report returns 0 and zeroes
 * si_pid; P_PGID and P_ALL select children; bad idtype or no event in
 * options is EINVAL; no child at all is ECHILD. */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static void show_info(const char *what, const siginfo_t *si, pid_t kid)
{
	static const char *const codes[] = { "?", "CLD_EXITED", "CLD_KILLED", "CLD_DUMPED",
					     "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED" };
	int c = si->si_code >= 1 && si->si_code <= 6 ? si->si_code : 0;

	say("%s: signo %s, pid ok %d, uid %d, code %s, status %d", what, sname(si->si_signo),
	    si->si_pid == kid, (int)si->si_uid, codes[c], si->si_status);
}

static pid_t spawn_waiting(int *wfd)
{
	int p[2];
	pid_t kid;
	char c;

	pipe(p);
	kid = xfork();
	if (kid == 0) {
		close(p[1]);
		read(p[0], &c, 1);
		_exit(c);
	}
	close(p[0]);
	*wfd = p[1];
	return kid;
}

int main(int argc, char **argv)
{
	siginfo_t si;
	pid_t kid;
	int w;

	abi_init(argc, argv);
	kid = spawn_waiting(&w);
	memset(&si, 0x55, sizeof(si));
	SHOW(waitid(P_PID, (id_t)kid, &si, WEXITED | WNOHANG));
	say("si_pid after WNOHANG: %d", (int)si.si_pid);
	write(w, "\x05", 1);
	SHOW(waitid(P_ALL, 0, &si, WEXITED));
	show_info("exit", &si, kid);
	close(w);

	kid = spawn_waiting(&w);
	kill(kid, SIGSTOP);
	SHOW(waitid(P_PID, (id_t)kid, &si, WSTOPPED));
	show_info("stop", &si, kid);
	kill(kid, SIGCONT);
	SHOW(waitid(P_PID, (id_t)kid, &si, WCONTINUED));
	show_info("cont", &si, kid);
	kill(kid, SIGKILL);
	SHOW(waitid(P_PGID, (id_t)getpgrp(), &si, WEXITED));
	show_info("kill", &si, kid);
	close(w);

	SHOW(waitid(7, 0, &si, WEXITED));
	SHOW(waitid(P_ALL, 0, &si, 0));
	SHOW(waitid(P_ALL, 0, &si, WEXITED));
	return 0;
}
