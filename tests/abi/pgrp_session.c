/* Process groups and sessions: a child starts in its parent's group and
 * session; setpgid(0, 0) makes it a group leader (getpgrp, getpgid agree);
 * a leader cannot setsid (EPERM), a non-leader can and then leads a new
 * session and group (getsid); the parent can move a child into a group
 * of the same session, not into another session's group (EPERM), not a
 * child that changed session (EPERM); negative pgid is EINVAL; unknown
 * pid ESRCH. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static pid_t kid_that_waits(int *w, int mode)
{
	int p[2], q[2];
	pid_t kid;
	char c;

	pipe(p);
	pipe(q);
	kid = xfork();
	if (kid == 0) {
		close(p[1]);
		if (mode == 1)
			setsid();
		write(q[1], "r", 1);
		read(p[0], &c, 1);
		_exit(0);
	}
	close(p[0]);
	close(q[1]);
	read(q[0], &c, 1);
	close(q[0]);
	*w = p[1];
	return kid;
}

int main(int argc, char **argv)
{
	pid_t me, kid, other;
	int w, w2, st;

	abi_init(argc, argv);
	me = getpid();
	EXPECT(getpgrp() == getpgid(0));
	EXPECT(getsid(0) == getsid(me));
	kid = xfork();
	if (kid == 0) {
		EXPECT(getpgrp() == getpgid(getppid()));
		EXPECT(getsid(0) == getsid(getppid()));
		SHOW(setpgid(0, 0));
		EXPECT(getpgrp() == getpid());
		SHOW(setsid());
		_exit(0);
	}
	reap(kid);
	kid = xfork();
	if (kid == 0) {
		EXPECT(setsid() == getpid());
		EXPECT(getsid(0) == getpid());
		EXPECT(getpgrp() == getpid());
		SHOW(setsid());
		SHOW(setpgid(0, getpgid(getppid())));
		_exit(0);
	}
	reap(kid);

	kid = kid_that_waits(&w, 0);
	other = kid_that_waits(&w2, 0);
	SHOW(setpgid(kid, kid));
	EXPECT(getpgid(kid) == kid);
	SHOW(setpgid(other, kid));
	EXPECT(getpgid(other) == kid);
	SHOW(setpgid(other, 0));
	EXPECT(getpgid(other) == other);
	SHOW(setpgid(kid, -1));
	SHOW(setpgid(99999999, 0));
	SHOW(getpgid(99999999));
	SHOW(getsid(99999999));
	write(w, "x", 1);
	write(w2, "x", 1);
	waitpid(kid, &st, 0);
	waitpid(other, &st, 0);

	kid = kid_that_waits(&w, 1);
	EXPECT(getsid(kid) == kid);
	SHOW(setpgid(kid, kid));
	SHOW(setpgid(kid, me));
	write(w, "x", 1);
	waitpid(kid, &st, 0);
	SHOW(setpgid(0, 0));
	EXPECT(getpgrp() == me);
	return 0;
}
