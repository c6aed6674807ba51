/* Default actions, each in a child: HUP, INT, USR1, ALRM, TERM, PIPE
 * terminate; QUIT, ABRT, SEGV terminate (no core: RLIMIT_CORE 0); CHLD,
 * URG, WINCH and CONT (when not stopped) are ignored and the child goes
 * on to exit 0; SIG_IGN makes TERM harmless; SIGKILL cannot be ignored. */
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static void try(int sig, int ignore)
{
	int go[2], ready[2];
	pid_t kid;
	char c;

	pipe(go);
	pipe(ready);
	kid = xfork();
	if (kid == 0) {
		struct rlimit none = { 0, 0 };

		setrlimit(RLIMIT_CORE, &none);
		if (ignore)
			signal(sig, SIG_IGN);
		write(ready[1], "r", 1);
		read(go[0], &c, 1);
		_exit(0);
	}
	read(ready[0], &c, 1);
	kill(kid, sig);
	/* An ignored signal leaves the child blocked in read; let it go. */
	write(go[1], "g", 1);
	say("%s%s:", sname(sig), ignore ? " (ignored)" : "");
	reap(kid);
	close(go[0]);
	close(go[1]);
	close(ready[0]);
	close(ready[1]);
}

int main(int argc, char **argv)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGUSR1, SIGALRM, SIGTERM, SIGPIPE,
				    SIGQUIT, SIGABRT, SIGSEGV, SIGCHLD, SIGURG, SIGWINCH,
				    SIGCONT };

	abi_init(argc, argv);
	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		try(sigs[i], 0);
	try(SIGTERM, 1);
	try(SIGKILL, 1);
	return 0;
}
