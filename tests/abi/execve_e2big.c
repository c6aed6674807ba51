/* execve's limits (Linux: all argv and envp strings and their pointers
 * within a quarter of RLIMIT_STACK, 8 MiB here: 2 MiB; each string at
 * most 32 pages): E2BIG for 3 MiB of arguments, for one 200 KiB string in
 * argv and in envp; 1 MiB of arguments is fine, and they arrive whole. The
 * failed calls leave the caller running. */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "abi.h"

static char **make_args(const char *first, int n, size_t len)
{
	char **v = calloc((size_t)n + 2, sizeof(*v));

	v[0] = (char *)first;
	for (int i = 1; i <= n; i++) {
		v[i] = malloc(len + 1);
		memset(v[i], 'a' + i % 26, len);
		v[i][len] = '\0';
	}
	return v;
}

int main(int argc, char **argv)
{
	struct rlimit rl = { 8 << 20, 8 << 20 };
	char *env[] = { "ABI_X=1", NULL };
	char **big, **one, **fine;
	char *bigenv[] = { NULL, NULL };
	pid_t kid;

	abi_init(argc, argv);
	if (argc > 1) {
		size_t total = 0;

		for (int i = 1; i < argc; i++)
			total += strlen(argv[i]);
		say("exec'd with %d arguments, %zu bytes", argc - 1, total);
		return 0;
	}
	setrlimit(RLIMIT_STACK, &rl);
	big = make_args("x", 3072, 1023);
	SHOW(execve(self_path(), big, env));
	one = make_args("x", 1, 200 << 10);
	SHOW(execve(self_path(), one, env));
	bigenv[0] = one[1];
	memcpy(bigenv[0], "ABI=", 4);
	SHOW(execve(self_path(), one, bigenv));
	say("still running");
	fine = make_args("x", 1024, 1023);
	kid = xfork();
	if (kid == 0) {
		execve(self_path(), fine, env);
		say("execve: %s", ename(errno));
		_exit(1);
	}
	reap(kid);
	return 0;
}
