/* exit statuses as the parent sees them: exit(256) is 0, exit(-1) is
 * 255, returning from main is exit; the program's own status is 42. */
#include <stdlib.h>
#include <unistd.h>

#include "abi.h"

static void run(int code)
{
	pid_t kid = xfork();

	if (kid == 0)
		exit(code);
	say("exit(%d):", code);
	reap(kid);
}

int main(int argc, char **argv)
{
	abi_init(argc, argv);
	say("start");
	run(0);
	run(1);
	run(255);
	run(256);
	run(-1);
	return 42;
}
