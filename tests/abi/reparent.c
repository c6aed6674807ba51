/* An orphan is re-parented: the grandchild's parent exits, and its
 * getppid becomes the closest subreaper (this program, after
 * PR_SET_CHILD_SUBREAPER; in a vNode its first process, which this
 * program is), which can then reap it (status 8: its new parent was
 * right). */
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	pid_t top = getpid(), mid, w;
	int p[2], st;
	char c;

	abi_init(argc, argv);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	pipe(p);
	mid = xfork();
	if (mid == 0) {
		pid_t me = getpid();

		if (xfork() == 0) {
			struct timespec ms = { 0, 10 * 1000 * 1000 };

			close(p[0]);
			EXPECT(getppid() == me);
			write(p[1], "x", 1);
			for (int i = 0; i < 500 && getppid() == me; i++)
				nanosleep(&ms, NULL);
			_exit(getppid() == top ? 8 : 9);
		}
		read(p[0], &c, 1);
		_exit(2);
	}
	close(p[1]);
	EXPECT(waitpid(mid, &st, 0) == mid);
	say("middle: %s", status_str(st));
	w = wait(&st);
	EXPECT(w > 0 && w != mid);
	say("grandchild: %s", status_str(st));
	SHOW(wait(&st));
	return 0;
}
