/* PR_SET_PDEATHSIG really delivers: a grandchild asks for SIGUSR1 when
 * its parent dies; the parent exits; the grandchild's handler runs, and
 * getppid no longer names the dead parent. A fork does not inherit the
 * setting (the grandchild's own child reads 0). The grandchild reports
 * through a pipe the first process reads to its end. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static volatile int got;

static void on_usr1(int sig)
{
	got++;
}

/* The grandchild: ask, tell the parent it may go, wait for the signal. */
static void grandchild(int report, int ready, pid_t parent)
{
	char line[96];
	int sig = -1;
	pid_t kid;

	signal(SIGUSR1, on_usr1);
	prctl(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0);
	kid = fork();
	if (kid == 0) {
		prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0);
		snprintf(line, sizeof(line), "fork child's pdeathsig: %d\n", sig);
		write(report, line, strlen(line));
		_exit(0);
	}
	waitpid(kid, NULL, 0);
	write(ready, "r", 1);
	wait_until(&got, 1);
	snprintf(line, sizeof(line), "signal after the parent died: %d, ppid changed: %d\n", got,
		 getppid() != parent);
	write(report, line, strlen(line));
	_exit(0);
}

int main(int argc, char **argv)
{
	int report[2], ready[2];
	char buf[256], c;
	pid_t mid;
	ssize_t n;

	abi_init(argc, argv);
	pipe(report);
	mid = xfork();
	if (mid == 0) {
		pipe(ready);
		if (xfork() == 0) {
			close(report[0]);
			close(ready[0]);
			grandchild(report[1], ready[1], getppid());
		}
		close(ready[1]);
		read(ready[0], &c, 1);
		_exit(3);
	}
	close(report[1]);
	reap(mid);
	while ((n = read(report[0], buf, sizeof(buf) - 1)) > 0)
		write(1, buf, (size_t)n);
	return 0;
}
