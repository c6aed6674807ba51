/* execve of a "#!" script: the interpreter runs with the script's path
 * and the arguments after it, its status is the process's; everything
 * after the interpreter's path is one argument (white space around it
 * trimmed); a missing interpreter is ENOENT. */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static void run(const char *path, char **args)
{
	int p[2];
	char out[512];
	pid_t kid;
	ssize_t n;

	pipe(p);
	kid = xfork();
	if (kid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		execve(path, args, NULL);
		say("execve: %s", ename(errno));
		_exit(127);
	}
	close(p[1]);
	n = read_full(p[0], out, sizeof(out) - 1);
	close(p[0]);
	out[n > 0 ? n : 0] = '\0';
	/* The echo interpreter prints the script's path: keep its name only. */
	if (strstr(out, beside("")))
		memmove(strstr(out, beside("")), strstr(out, beside("")) + strlen(beside("")),
			strlen(strstr(out, beside("")) + strlen(beside(""))) + 1);
	say("output: %s", out);
	reap(kid);
}

int main(int argc, char **argv)
{
	char *args[] = { "script", "one", "two three", NULL };

	abi_init(argc, argv);
	run(beside("help_script.sh"), args);
	run(beside("help_interp.sh"), args);
	run(beside("help_badinterp.sh"), args);
	return 0;
}
