/* The working directory: it starts at "/"; chdir to this program's
 * directory makes getcwd return it, and relative paths resolve there;
 * fchdir to "/" goes back; chdir to a file is ENOTDIR, to a missing path
 * ENOENT; the raw getcwd returns the length with the NUL, ERANGE for a
 * buffer too small (size 0 included);
 * a child inherits the directory. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	char cwd[512], dir[512], small[2];
	const char *slash;
	int root;
	pid_t kid;

	abi_init(argc, argv);
	say("start: %s", getcwd(cwd, sizeof(cwd)) ? cwd : ename(errno));
	slash = strrchr(self_path(), '/');
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - self_path()), self_path());
	root = open("/", O_RDONLY | O_DIRECTORY);
	SHOW(chdir(dir));
	say("now the program's directory: %d", getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, dir));
	SHOW(access(slash + 1, X_OK));
	SHOW(open("help_noexec", O_RDONLY) >= 0);
	kid = xfork();
	if (kid == 0) {
		say("child inherits it: %d", getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, dir));
		_exit(0);
	}
	reap(kid);
	SHOW(fchdir(root));
	say("back: %s", getcwd(cwd, sizeof(cwd)) ? cwd : ename(errno));
	SHOW(chdir(self_path()));
	SHOW(chdir("/no/such/dir"));
	SHOW(fchdir(99));
	SHOW(syscall(SYS_getcwd, small, sizeof(small) - 1));
	SHOW(syscall(SYS_getcwd, small, sizeof(small)));
	SHOW(syscall(SYS_getcwd, cwd, 0));
	return 0;
}
