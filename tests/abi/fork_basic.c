/* fork: the child gets 0 and its own pid, the parent the child's pid;
 * getppid in the child is the parent; wait4 reports the exit status and
 * the child's pid; a second wait finds no child. */
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	pid_t parent = getpid();
	int st = 0;
	pid_t kid, w;

	abi_init(argc, argv);
	kid = xfork();
	if (kid == 0) {
		EXPECT(getppid() == parent);
		EXPECT(getpid() != parent);
		_exit(7);
	}
	w = wait4(kid, &st, 0, NULL);
	EXPECT(w == kid);
	say("status: %s (raw 0x%x)", status_str(st), st);
	SHOW(wait(NULL));
	return 0;
}
