/* Stop and continue: SIGSTOP, SIGTSTP, SIGTTIN and SIGTTOU stop a child
 * (waitpid WUNTRACED reports which), SIGCONT resumes it (WCONTINUED); a
 * stopped child makes no progress; SIGTERM sent while it is stopped acts
 * when it continues; SIGKILL ends a stopped child; the parent gets
 * SIGCHLD for stops unless SA_NOCLDSTOP. */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"

static volatile int chld;

static void on_chld(int sig)
{
	chld++;
}

static pid_t counter(int *rfd)
{
	int p[2];
	pid_t kid;

	pipe(p);
	kid = xfork();
	if (kid == 0) {
		struct timespec t = { 0, 20 * 1000 * 1000 };

		/* Its own group, whose parent is in another group of the same
		 * session: not orphaned, so SIGTSTP and friends stop it. */
		setpgid(0, 0);
		close(p[0]);
		for (;;) {
			write(p[1], "t", 1);
			nanosleep(&t, NULL);
		}
	}
	setpgid(kid, kid);
	close(p[1]);
	*rfd = p[0];
	return kid;
}

static void show_wait(pid_t kid, int opts)
{
	int st = 0;
	pid_t w;

	do
		w = waitpid(kid, &st, opts);
	while (w < 0 && errno == EINTR);
	say("  %s", w == kid ? status_str(st) : ename(errno));
}

int main(int argc, char **argv)
{
	static const int stops[] = { SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU };
	struct timespec rest = { 0, 200 * 1000 * 1000 };
	struct sigaction sa;
	char buf[64];
	int rfd, before;
	pid_t kid;

	abi_init(argc, argv);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_chld;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	kid = counter(&rfd);
	for (unsigned i = 0; i < 4; i++) {
		read(rfd, buf, 1);
		before = chld;
		kill(kid, stops[i]);
		say("%s:", sname(stops[i]));
		show_wait(kid, WUNTRACED);
		wait_until(&chld, before + 1);
		say("  SIGCHLD for the stop: %d", chld > before);
		kill(kid, SIGCONT);
		show_wait(kid, WCONTINUED);
	}
	kill(kid, SIGSTOP);
	show_wait(kid, WUNTRACED);
	/* Drain what it wrote before it stopped; nothing more may come. */
	fcntl(rfd, F_SETFL, O_NONBLOCK);
	while (read(rfd, buf, sizeof(buf)) > 0)
		;
	nanosleep(&rest, NULL);
	SHOW(read(rfd, buf, sizeof(buf)));
	kill(kid, SIGTERM);
	nanosleep(&rest, NULL);
	SHOW(waitpid(kid, NULL, WNOHANG));
	kill(kid, SIGCONT);
	say("SIGTERM while stopped, then SIGCONT:");
	show_wait(kid, 0);
	close(rfd);

	sa.sa_flags = SA_NOCLDSTOP | SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	kid = counter(&rfd);
	before = chld;
	kill(kid, SIGSTOP);
	show_wait(kid, WUNTRACED);
	nanosleep(&rest, NULL);
	say("SIGCHLD with SA_NOCLDSTOP: %d", chld > before);
	kill(kid, SIGKILL);
	say("SIGKILL while stopped:");
	show_wait(kid, 0);
	return 0;
}
