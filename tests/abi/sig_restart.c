/* alarm(1) interrupts a blocking pipe read: without SA_RESTART the read
 * fails with EINTR after the handler ran; with SA_RESTART it goes on and
 * returns the bytes a child writes half a second later. (Acceptance 4 of
 * issue 10.) */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"

static volatile int rings;

static void on_alarm(int sig)
{
	rings++;
}

static void blocking_read(int flags, int writer)
{
	struct sigaction sa;
	char buf[16] = "";
	int p[2];
	pid_t kid = -1;
	ssize_t n;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = flags;
	sigaction(SIGALRM, &sa, NULL);
	pipe(p);
	if (writer) {
		kid = xfork();
		if (kid == 0) {
			struct timespec t = { 1, 500 * 1000 * 1000 };

			nanosleep(&t, NULL);
			write(p[1], "late", 4);
			_exit(0);
		}
	}
	rings = 0;
	alarm(1);
	n = read(p[0], buf, sizeof(buf) - 1);
	if (n < 0)
		say("read: -1 %s, handler ran %d", ename(errno), rings);
	else
		say("read: %zd \"%s\", handler ran %d", n, buf, rings);
	if (kid > 0)
		reap(kid);
	close(p[0]);
	close(p[1]);
}

int main(int argc, char **argv)
{
	abi_init(argc, argv);
	blocking_read(0, 0);
	blocking_read(SA_RESTART, 1);
	return 0;
}
