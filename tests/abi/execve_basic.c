/* execve replaces the program: argv (empty strings and spaces kept) and
 * envp arrive as given, the pid stays, the exec'd program's status is the
 * process's. Also an empty environment, and execve's errors: ENOENT,
 * EACCES (a directory, a file without x), ENOEXEC (x but not a program),
 * EFAULT (bad path, bad argv), ENOTDIR. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static void exec_child(const char *path, char *const *args, char *const *env)
{
	pid_t kid = xfork();

	if (kid == 0) {
		execve(path, args, env);
		say("execve: %s", ename(errno));
		_exit(99);
	}
	reap(kid);
}

int main(int argc, char **argv)
{
	char *args[] = { "renamed", "", "two words", "x", NULL };
	char *env[] = { "ABI_ONE=1", "ABI_EXIT=9", "OTHER=no", "ABI_EMPTY=", NULL };
	char *none[] = { NULL };
	char *bad_argv[] = { "x", (char *)8, NULL };
	char notdir[600];
	char *volatile bad_path = (char *)8;

	abi_init(argc, argv);
	exec_child(sibling("help_echo"), args, env);
	exec_child(sibling("help_echo"), args, none);
	SHOW(execve("/no/such/program", args, env));
	SHOW(execve("/", args, env));
	SHOW(execve(beside("help_noexec"), args, env));
	SHOW(execve(beside("help_garbage"), args, env));
	SHOW(execve(bad_path, args, env));
	SHOW(execve(sibling("help_echo"), bad_argv, env));
	snprintf(notdir, sizeof(notdir), "%s/x", sibling("help_echo"));
	SHOW(execve(notdir, args, env));
	return 0;
}
