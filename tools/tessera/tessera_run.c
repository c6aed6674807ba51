/*
 * `tessera run`: one request line to GPM, "run [--vnode NAME] [--excache
 * BYTES] PATH ARGS..." with every argument %-escaped (so spaces and odd
 * bytes survive the one-line request), then the streamed answer
 * (managers/gpm_run.c): frames "out STREAM LEN\n" + LEN bytes, copied to
 * stdout or stderr at once; then "exit STATUS", maybe "reason TEXT",
 * "stats ..." and "ok" -- or "err MESSAGE" at any point.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/tessera/cli.h"

#define RUN_LINE_MAX 8192 /* GPM reads request lines up to this */
#define RUN_HEAD_MAX 512

struct run_opts {
	const char *vnode;
	unsigned long long excache;
	bool stats;
	int argc; /* PATH and ARGS */
	char **argv;
};

/* SIZE: bytes, or with a K, M or G suffix. 0 if malformed. */
static unsigned long long run_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	int shift = !*end ? 0 : !strcmp(end, "K") ? 10 : !strcmp(end, "M") ? 20 :
				 !strcmp(end, "G") ? 30 : -1;

	return shift < 0 || end == s ? 0 : v << shift;
}

static int run_opts(int argc, char **argv, struct run_opts *o)
{
	int i = 1;

	memset(o, 0, sizeof(*o));
	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--stats"))
			o->stats = true;
		else if (!strcmp(argv[i], "--vnode") && i + 1 < argc)
			o->vnode = argv[++i];
		else if (!strcmp(argv[i], "--excache") && i + 1 < argc &&
			 (o->excache = run_size(argv[i + 1])))
			i++;
		else
			return fprintf(stderr, "tessera: run: bad option %s%s%s\n", argv[i],
				       i + 1 < argc ? " " : "", i + 1 < argc ? argv[i + 1] : ""), -1;
	}
	if (i == argc)
		return fprintf(stderr, "tessera: run: no program; see tessera --help\n"), -1;
	if (o->vnode && strpbrk(o->vnode, " \t\r\n%"))
		return fprintf(stderr, "tessera: bad vnode name \"%s\"\n", o->vnode), -1;
	o->argc = argc - i;
	o->argv = argv + i;
	return 0;
}

/* Append s %-escaped (bytes <= ' ', '%' and >= 0x7f) to line. */
static void run_escape(char *line, size_t cap, const char *s)
{
	size_t len = strlen(line);

	for (; *s && len + 4 < cap; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= ' ' || c == '%' || c >= 0x7f)
			len += (size_t)snprintf(line + len, cap - len, "%%%02X", c);
		else
			line[len++] = (char)c;
	}
	line[len] = '\0';
}

static int run_line(const struct run_opts *o, char *line, size_t cap)
{
	snprintf(line, cap, "run");
	if (o->vnode)
		snprintf(line + strlen(line), cap - strlen(line), " --vnode %s", o->vnode);
	if (o->excache)
		snprintf(line + strlen(line), cap - strlen(line), " --excache %llu", o->excache);
	for (int i = 0; i < o->argc; i++) {
		strncat(line, " ", cap - strlen(line) - 1);
		run_escape(line, cap, o->argv[i]);
	}
	if (strlen(line) + 2 >= cap)
		return fprintf(stderr, "tessera: run: arguments too long\n"), -1;
	strcat(line, "\n");
	return 0;
}

/* Copy one output frame's len bytes to fd 1 or 2: 0 or -1. */
static int run_copy(FILE *in, unsigned stream, size_t len)
{
	char buf[4096];
	int fd = stream == 2 ? 2 : 1;

	while (len) {
		size_t n = fread(buf, 1, len < sizeof(buf) ? len : sizeof(buf), in);

		if (!n)
			return -1;
		for (size_t off = 0; off < n;) {
			ssize_t w = write(fd, buf + off, n - off);

			if (w < 0 && errno != EINTR)
				return 0; /* our stdout is gone: keep reading */
			off += w > 0 ? (size_t)w : 0;
		}
		len -= n;
	}
	return 0;
}

/* Read the answer; the exit status for tessera. */
static int run_answer(FILE *in, const struct run_opts *o)
{
	char head[RUN_HEAD_MAX];
	int status = -1;

	while (fgets(head, sizeof(head), in)) {
		unsigned stream;
		size_t len;

		head[strcspn(head, "\n")] = '\0';
		if (sscanf(head, "out %u %zu", &stream, &len) == 2) {
			if (run_copy(in, stream, len))
				break;
		} else if (!strncmp(head, "exit ", 5)) {
			status = atoi(head + 5);
		} else if (!strncmp(head, "reason ", 7)) {
			fprintf(stderr, "tessera: %s\n", head + 7);
		} else if (!strncmp(head, "stats ", 6)) {
			if (o->stats)
				fprintf(stderr, "tessera: stats: %s\n", head + 6);
		} else if (!strcmp(head, "ok")) {
			return status >= 0 && status <= 255 ? status : CLI_RUN_FAILED;
		} else if (!strncmp(head, "err ", 4)) {
			fprintf(stderr, "tessera: %s\n", head + 4);
			return CLI_RUN_FAILED;
		}
	}
	fprintf(stderr, "tessera: lost GPM before the program's end\n");
	return CLI_RUN_FAILED;
}

int cli_run(const char *socket, int argc, char **argv)
{
	static char line[RUN_LINE_MAX];
	struct run_opts o;
	FILE *in;
	int fd;

	if (run_opts(argc, argv, &o) || run_line(&o, line, sizeof(line)))
		return CLI_RUN_FAILED;
	fd = cli_connect(socket);
	if (fd < 0)
		return CLI_RUN_FAILED;
	if (cli_send(fd, line) < 0) {
		fprintf(stderr, "tessera: lost GPM at %s: %s\n", socket, strerror(errno));
		close(fd);
		return CLI_RUN_FAILED;
	}
	in = fdopen(fd, "r");
	if (!in) {
		close(fd);
		return CLI_RUN_FAILED;
	}
	fd = run_answer(in, &o);
	fclose(in);
	return fd;
}
