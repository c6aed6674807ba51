/* vfork: the parent is suspended until the child exits or execs; the
 * child shares memory until then (a store it makes is seen by the
 * parent); _exit status and an exec'd helper's status are reported. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static volatile int shared;

int main(int argc, char **argv)
{
	char *args[] = { "help_echo", "from-vfork", NULL };
	char *env[] = { "ABI=vfork", NULL };
	pid_t kid;

	abi_init(argc, argv);
	kid = vfork();
	if (kid == 0) {
		shared = 5;
		_exit(3);
	}
	if (kid < 0) {
		say("vfork: %s", ename(errno));
		return 1;
	}
	say("shared after child: %d", shared);
	reap(kid);
	kid = vfork();
	if (kid == 0) {
		execve(sibling("help_echo"), args, env);
		_exit(127);
	}
	reap(kid);
	return 0;
}
