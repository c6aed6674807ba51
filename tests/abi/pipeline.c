/* A three-stage pipeline built as a shell builds one: fork, dup2 the
 * pipe ends onto 0 and 1, close the rest, execve this program as each
 * stage ("gen" writes 1..2000, "odd" keeps odd numbers, "sum" adds them
 * up); the parent waits for all three and sees their statuses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static int stage(const char *what)
{
	char line[64];
	FILE *in = stdin;
	long long sum = 0;

	if (!strcmp(what, "gen")) {
		for (int i = 1; i <= 2000; i++)
			printf("%d\n", i);
		return 0;
	}
	while (fgets(line, sizeof(line), in)) {
		long v = atol(line);

		if (!strcmp(what, "odd") && v % 2)
			printf("%ld\n", v);
		sum += v;
	}
	if (!strcmp(what, "sum"))
		printf("sum %lld\n", sum);
	return !strcmp(what, "sum") ? 3 : 0;
}

static pid_t spawn(const char *what, int in, int out, int *close_me, int n)
{
	pid_t kid = xfork();

	if (kid == 0) {
		char *args[] = { "stage", (char *)what, NULL };

		if (in != 0) {
			dup2(in, 0);
		}
		if (out != 1)
			dup2(out, 1);
		for (int i = 0; i < n; i++)
			close(close_me[i]);
		execve(self_path(), args, NULL);
		_exit(127);
	}
	return kid;
}

int main(int argc, char **argv)
{
	int a[2], b[2], all[4];
	pid_t k[3];

	abi_init(argc, argv);
	if (argc > 1)
		return stage(argv[1]);
	pipe(a);
	pipe(b);
	all[0] = a[0], all[1] = a[1], all[2] = b[0], all[3] = b[1];
	k[0] = spawn("gen", 0, a[1], all, 4);
	k[1] = spawn("odd", a[0], b[1], all, 4);
	k[2] = spawn("sum", b[0], 1, all, 4);
	for (int i = 0; i < 4; i++)
		close(all[i]);
	/* The last stage prints before it ends, and it ends last. */
	reap(k[2]);
	reap(k[0]);
	reap(k[1]);
	return 0;
}
