/* End of file on a pipe comes only when every write end is closed: a
 * duplicate (dup) and a child's copy each keep it open; a reader blocked
 * in read wakes with 0 when the last writer closes; closing the read end
 * does not end readers of a dup of it. */
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	int p[2], extra, gate[2];
	char c;
	pid_t kid;

	abi_init(argc, argv);
	pipe(p);
	extra = dup(p[1]);
	close(p[1]);
	SHOW(write(extra, "a", 1));
	SHOW(read(p[0], &c, 1));
	pipe(gate);
	kid = xfork();
	if (kid == 0) {
		close(p[0]);
		read(gate[0], &c, 1);
		close(extra);
		_exit(0);
	}
	close(extra);
	close(gate[0]);
	/* The child still holds a write end: nothing to read, but no EOF yet. */
	write(gate[1], "g", 1);
	SHOW(read(p[0], &c, 1));
	reap(kid);
	pipe(p);
	extra = dup(p[0]);
	close(p[0]);
	write(p[1], "b", 1);
	SHOW(read(extra, &c, 1));
	close(p[1]);
	SHOW(read(extra, &c, 1));
	return 0;
}
