/*
 * Process costs for make bench (tools/bench.py, row proc-costs):
 *   procbench fork N   N times fork, the child _exit(0)s, the parent
 *                      waits for it: the latency of each whole round
 *   procbench pipe N   N one-byte round trips through two pipes between
 *                      the parent and a forked child that echoes each
 * Each prints one line, "PROCBENCH what=fork n=N median_us=M p99_us=P"
 * (microseconds, CLOCK_MONOTONIC), or exits 1 after a message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *what, long long *ns, int n)
{
	qsort(ns, (size_t)n, sizeof(ns[0]), cmp_ll);
	printf("PROCBENCH what=%s n=%d median_us=%lld p99_us=%lld\n", what, n,
	       ns[n / 2] / 1000, ns[(long long)n * 99 / 100] / 1000);
}

static int bench_fork(long long *ns, int n)
{
	for (int i = 0; i < n; i++) {
		long long t0 = now_ns();
		pid_t kid = fork();
		int st;

		if (kid == 0)
			_exit(0);
		if (kid < 0 || waitpid(kid, &st, 0) != kid || st != 0)
			return perror("fork"), 1;
		ns[i] = now_ns() - t0;
	}
	return 0;
}

/* The child: echo each byte of in back on out until end of file. */
static void echo_child(int in, int out)
{
	char c;

	while (read(in, &c, 1) == 1)
		if (write(out, &c, 1) != 1)
			break;
	_exit(0);
}

static int bench_pipe(long long *ns, int n)
{
	int to[2], from[2], st;
	pid_t kid;
	char c = 'x';

	if (pipe(to) || pipe(from))
		return perror("pipe"), 1;
	kid = fork();
	if (kid == 0) {
		close(to[1]);
		close(from[0]);
		echo_child(to[0], from[1]);
	}
	close(to[0]);
	close(from[1]);
	for (int i = 0; i < n; i++) {
		long long t0 = now_ns();

		if (write(to[1], &c, 1) != 1 || read(from[0], &c, 1) != 1)
			return perror("pipe round trip"), 1;
		ns[i] = now_ns() - t0;
	}
	close(to[1]);
	return waitpid(kid, &st, 0) == kid && st == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	int n = argc == 3 ? atoi(argv[2]) : 0;
	long long *ns = n > 0 ? calloc((size_t)n, sizeof(*ns)) : NULL;
	int err;

	if (!ns || (strcmp(argv[1], "fork") && strcmp(argv[1], "pipe"))) {
		fprintf(stderr, "usage: procbench fork|pipe N\n");
		return 1;
	}
	err = !strcmp(argv[1], "fork") ? bench_fork(ns, n) : bench_pipe(ns, n);
	if (!err)
		report(argv[1], ns, n);
	return err;
}
