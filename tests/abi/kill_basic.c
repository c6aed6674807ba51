/* kill: signal 0 checks existence; SIGTERM ends a child (wait4 reports it
 * signaled); a negative pid signals a process group, 0 the caller's
 * group (the caller ignores the signal); an invalid signal is EINVAL; a
 * pid that does not exist ESRCH (checked first). */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static pid_t sleeper(pid_t pgid)
{
	pid_t kid = xfork();

	if (kid == 0) {
		setpgid(0, pgid);
		for (;;)
			pause();
	}
	setpgid(kid, pgid);
	return kid;
}

int main(int argc, char **argv)
{
	pid_t a, b, c;

	abi_init(argc, argv);
	a = sleeper(0);
	SHOW(kill(a, 0));
	SHOW(kill(a, SIGTERM));
	reap(a);
	SHOW(kill(a, 0));
	SHOW(kill(a, 65));
	SHOW(kill(getpid(), -1));
	SHOW(kill(getpid(), 65));
	SHOW(kill(99999999, SIGTERM));

	b = sleeper(0);
	c = sleeper(b);
	SHOW(kill(-b, SIGUSR1));
	reap(b);
	reap(c);
	SHOW(kill(-b, 0));

	b = sleeper(getpgrp());
	signal(SIGUSR2, SIG_IGN);
	SHOW(kill(0, SIGUSR2));
	reap(b);
	return 0;
}
