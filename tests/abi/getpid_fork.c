/* fork's return value in the parent is the child's getpid (sent back
 * over a pipe); the child's getppid is the parent's getpid; gettid equals
 * getpid in a single-threaded process; pids are distinct across three
 * children. */
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	pid_t kids[3], told[3], ppids[3];
	int p[2];

	abi_init(argc, argv);
	EXPECT(syscall(SYS_gettid) == getpid());
	pipe(p);
	for (int i = 0; i < 3; i++) {
		kids[i] = xfork();
		if (kids[i] == 0) {
			pid_t mine[2] = { getpid(), getppid() };

			write(p[1], mine, sizeof(mine));
			_exit(0);
		}
		read(p[0], &told[i], sizeof(told[i]));
		read(p[0], &ppids[i], sizeof(ppids[i]));
		waitpid(kids[i], NULL, 0);
	}
	for (int i = 0; i < 3; i++) {
		EXPECT(kids[i] == told[i]);
		EXPECT(ppids[i] == getpid());
	}
	EXPECT(kids[0] != kids[1] && kids[1] != kids[2] && kids[0] != kids[2]);
	EXPECT(kids[0] != getpid());
	return 0;
}
