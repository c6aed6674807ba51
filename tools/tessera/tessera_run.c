/*
 * `tessera run`: one request line to GPM, "run [--vnode NAME] [--excache
 * BYTES] PATH ARGS..." with every argument %-escaped (so spaces and odd
 * bytes survive the one-line request), then the streamed answer
 * (managers/gpm_run.c): "launch ID PID" once the program runs, frames
 * "out STREAM LEN\n" + LEN bytes, copied to stdout or stderr at once;
 * then "exit STATUS", maybe "reason TEXT", "stats ..." and "ok" -- or
 * "err MESSAGE" at any point.
 *
 * With --upload, PATH is a local program: the request carries "--upload
 * SIZE" and PATH's last name, and the program's SIZE bytes go first on
 * the connection, before our stdin (GPM runs it from the vNode's storage
 * and removes it after, managers/gpm_run.c).
 *
 * Meanwhile two threads: one copies our stdin, raw, to the connection
 * after the request line, and half-closes it at end of file (the
 * program's stdin ends there too); one takes SIGINT, SIGTERM, SIGHUP and
 * SIGQUIT (blocked in every thread) and passes each to the program's
 * process group in a request of its own, "signal ID SIGNO", so that the
 * program's status (130 for SIGINT) is what we exit with.
 *
 * Locking: run_lock guards run_launch (0 until "launch" came), which
 * run_cond announces.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tools/tessera/cli.h"

#define RUN_LINE_MAX 8192 /* GPM reads request lines up to this */
#define RUN_HEAD_MAX 512

static pthread_mutex_t run_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t run_cond = PTHREAD_COND_INITIALIZER;
static unsigned long long run_launch; /* [run_lock] */

struct run_opts {
	const char *vnode;
	unsigned long long excache;
	bool stats;
	int upload;                     /* --upload: the local program, open; else -1 */
	unsigned long long upload_size;
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

/* Open the local program of --upload (argv[0]) and note its size. */
static int run_open_upload(struct run_opts *o)
{
	struct stat st;

	o->upload = open(o->argv[0], O_RDONLY | O_CLOEXEC);
	if (o->upload < 0 || fstat(o->upload, &st) || !S_ISREG(st.st_mode) || !st.st_size) {
		fprintf(stderr, "tessera: run: %s: %s\n", o->argv[0],
			o->upload < 0 ? strerror(errno) : "not a regular file with bytes in it");
		return -1;
	}
	o->upload_size = (unsigned long long)st.st_size;
	return 0;
}

static int run_opts(int argc, char **argv, struct run_opts *o)
{
	bool upload = false;
	int i = 1;

	memset(o, 0, sizeof(*o));
	o->upload = -1;
	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--stats"))
			o->stats = true;
		else if (!strcmp(argv[i], "--upload"))
			upload = true;
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
	return upload ? run_open_upload(o) : 0;
}

/* Append s %-escaped (bytes <= ' ', '%' and >= 0x7f) to line. An empty
 * argument is "%00", which the GPM unescapes to the empty string (a word
 * of its own; nothing would vanish in the split). */
static void run_escape(char *line, size_t cap, const char *s)
{
	size_t len = strlen(line);

	if (!*s && len + 4 < cap)
		len += (size_t)snprintf(line + len, cap - len, "%%00");
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
	if (o->upload >= 0)
		snprintf(line + strlen(line), cap - strlen(line), " --upload %llu", o->upload_size);
	for (int i = 0; i < o->argc; i++) {
		const char *slash = i || o->upload < 0 ? NULL : strrchr(o->argv[0], '/');

		strncat(line, " ", cap - strlen(line) - 1);
		run_escape(line, cap, slash ? slash + 1 : o->argv[i]);
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
		} else if (!strncmp(head, "launch ", 7)) {
			pthread_mutex_lock(&run_lock);
			run_launch = strtoull(head + 7, NULL, 10);
			pthread_cond_broadcast(&run_cond);
			pthread_mutex_unlock(&run_lock);
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

/* Copy in to the connection fd until end of file (or max bytes): 0 at
 * the end, 1 when in ends early, -1 when GPM reads no more. */
static int run_pump(int in, int fd, unsigned long long max)
{
	static __thread char buf[65536];

	while (max) {
		ssize_t n = read(in, buf, max < sizeof(buf) ? (size_t)max : sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 1;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = send(fd, buf + off, (size_t)(n - off), MSG_NOSIGNAL);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return -1;
			off += w;
		}
		max -= (unsigned long long)n;
	}
	return 0;
}

/* Our stdin to the connection, then the half-close (unless the run is
 * over: GPM reads no more). */
static void *run_stdin_main(void *arg)
{
	int fd = (int)(long)arg;

	if (run_pump(0, fd, ~0ull) >= 0)
		shutdown(fd, SHUT_WR);
	return NULL;
}

struct run_sig {
	const char *socket;
	sigset_t set;
};

/* Each signal in set, once the program runs, to its process group. */
static void *run_signal_main(void *arg)
{
	struct run_sig *rs = arg;
	char line[64], answer[256];

	for (;;) {
		int sig, fd;

		if (sigwait(&rs->set, &sig))
			continue;
		pthread_mutex_lock(&run_lock);
		while (!run_launch)
			pthread_cond_wait(&run_cond, &run_lock);
		snprintf(line, sizeof(line), "signal %llu %d\n", run_launch, sig);
		pthread_mutex_unlock(&run_lock);
		fd = cli_connect(rs->socket);
		if (fd < 0)
			continue;
		if (!cli_send(fd, line))
			while (read(fd, answer, sizeof(answer)) > 0)
				;
		close(fd);
	}
	return NULL;
}

/* Start the stdin and signal threads for the run on fd: 0 or -1. */
static int run_threads(const char *socket, int fd)
{
	static struct run_sig rs;
	pthread_t t;

	rs.socket = socket;
	sigemptyset(&rs.set);
	sigaddset(&rs.set, SIGINT);
	sigaddset(&rs.set, SIGTERM);
	sigaddset(&rs.set, SIGHUP);
	sigaddset(&rs.set, SIGQUIT);
	if (pthread_sigmask(SIG_BLOCK, &rs.set, NULL) ||
	    pthread_create(&t, NULL, run_signal_main, &rs) ||
	    pthread_create(&t, NULL, run_stdin_main, (void *)(long)fd)) {
		fprintf(stderr, "tessera: run: cannot start a thread\n");
		return -1;
	}
	return 0;
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
	if (o.upload >= 0 && run_pump(o.upload, fd, o.upload_size) > 0) {
		fprintf(stderr, "tessera: run: %s shrank while read\n", o.argv[0]);
		close(fd);
		return CLI_RUN_FAILED;
	}
	if (run_threads(socket, fd)) {
		close(fd);
		return CLI_RUN_FAILED;
	}
	in = fdopen(fd, "r");
	if (!in) {
		close(fd);
		return CLI_RUN_FAILED;
	}
	/* The stdin thread may still be sending: the connection stays open
	 * until we exit. */
	return run_answer(in, &o);
}
