/* Job-control stop signals (SIGTSTP, SIGTTIN, SIGTTOU) with the default
 * action are discarded for a process in an orphaned process group (no
 * member has a parent in another group of the same session): a child of
 * this session leader, in the leader's group, keeps running; SIGSTOP
 * still stops it. */
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	struct timespec rest = { 0, 100 * 1000 * 1000 };
	int go[2], st;
	pid_t kid;
	char c;

	abi_init(argc, argv);
	EXPECT(getsid(0) == getpid());
	pipe(go);
	kid = xfork();
	if (kid == 0) {
		read(go[0], &c, 1);
		_exit(5);
	}
	kill(kid, SIGTSTP);
	kill(kid, SIGTTIN);
	kill(kid, SIGTTOU);
	nanosleep(&rest, NULL);
	SHOW(waitpid(kid, &st, WUNTRACED | WNOHANG));
	kill(kid, SIGSTOP);
	waitpid(kid, &st, WUNTRACED);
	say("after SIGSTOP: %s", status_str(st));
	kill(kid, SIGCONT);
	write(go[1], "g", 1);
	reap(kid);
	return 0;
}
