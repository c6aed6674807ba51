/* umask returns the previous mask (022 at start), keeps only 0777, is
 * inherited by a child and survives execve. */
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	pid_t kid;

	abi_init(argc, argv);
	if (argc > 1) {
		say("after exec: %03o", umask(0));
		return 0;
	}
	say("initial: %03o", umask(027));
	say("then: %03o", umask(077));
	say("masked: %03o", umask(0177777));
	say("kept: %03o", umask(077));
	kid = xfork();
	if (kid == 0) {
		say("child: %03o", umask(0));
		_exit(0);
	}
	reap(kid);
	say("parent still: %03o", umask(066));
	kid = xfork();
	if (kid == 0) {
		char *again[] = { "self", "exec", NULL };

		execve(self_path(), again, NULL);
		_exit(127);
	}
	reap(kid);
	return 0;
}
