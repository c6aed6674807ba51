/* A write to a pipe whose read end is closed raises SIGPIPE, which by
 * default ends the writer (wait4 reports it signaled); with SIGPIPE
 * ignored, blocked or caught the write fails with EPIPE (a caught one
 * runs the handler first). (Acceptance 4 of issue 10.) */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static volatile int caught;

static void on_pipe(int sig)
{
	caught = sig;
}

static void writer(int mode)
{
	int p[2];
	pid_t kid;

	/* the read end is closed before the fork, so no reader is left
	 * whichever side runs first */
	pipe(p);
	close(p[0]);
	kid = xfork();
	if (kid == 0) {
		sigset_t s;

		if (mode == 1)
			signal(SIGPIPE, SIG_IGN);
		if (mode == 2)
			signal(SIGPIPE, on_pipe);
		if (mode == 3) {
			sigemptyset(&s);
			sigaddset(&s, SIGPIPE);
			sigprocmask(SIG_BLOCK, &s, NULL);
		}
		SHOW(write(p[1], "data", 4));
		if (mode == 2)
			say("handler saw %s", sname(caught));
		if (mode == 3) {
			sigpending(&s);
			EXPECT(sigismember(&s, SIGPIPE));
		}
		_exit(0);
	}
	close(p[1]);
	reap(kid);
}

int main(int argc, char **argv)
{
	abi_init(argc, argv);
	for (int mode = 0; mode < 4; mode++)
		writer(mode);
	return 0;
}
