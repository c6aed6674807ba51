/*
 * The CLI socket: a Unix stream socket where the `tessera` command sends
 * one request line ("nodes", "vnode create NAME", "run ...", "ps") and reads
 * the answer: text lines, then a last line "ok" or "err MESSAGE" (a run
 * streams its program's output before them, gpm_run.c). One request per
 * connection, each served by a thread of its own, so a long run does not
 * hold up other requests (no lock of its own; commands take the locks of
 * the state they read).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <tessera/net/plat.h>

#include "managers/mgr.h"

#define CLI_LINE_MAX (2 * PROC_STRS_MAX) /* run: path and %-escaped args */
#define CLI_ARGS_MAX (PROC_ARGS_MAX + 8)
#define CLI_SEND_LIMIT_S 30

static int split(char *line, char **argv)
{
	int argc = 0;

	for (char *w = strtok(line, " \t\r\n"); w && argc < CLI_ARGS_MAX;
	     w = strtok(NULL, " \t\r\n"))
		argv[argc++] = w;
	return argc;
}

int mgr_cli_run(struct mgr *m, char *line, struct mgr_out *o)
{
	char *argv[CLI_ARGS_MAX];
	int argc = split(line, argv);
	int err = 1;

	o->len = 0;
	if (argc == CLI_ARGS_MAX)
		return mgr_outf(o, "err too many words (over %d)\n", CLI_ARGS_MAX - 1), -E2BIG;
	if (argc == 1 && !strcmp(argv[0], "nodes")) {
		mgr_nodes(&m->reg, o, mgr_now_ns());
		err = 0;
	} else if (argc == 1 && !strcmp(argv[0], "stats")) {
		mgr_stats(&m->reg, o);
		err = 0;
	} else if (argc > 0) {
		err = m->ops->command(m, argc, argv, o);
	}
	if (err == 1) {
		o->len = 0;
		mgr_outf(o, "err %s does not serve \"%s\"\n", m->opts.name,
			 argc ? argv[0] : "");
	}
	if (!err)
		mgr_outf(o, "ok\n");
	return err;
}

/* Read one request line, and not a byte past it (a run's stdin follows
 * on the connection: gpm_input.c); its length, or -1. */
static int read_line(int fd, char *buf, size_t cap)
{
	size_t len = 0;

	while (len < cap - 1) {
		ssize_t r = recv(fd, buf + len, cap - 1 - len, MSG_PEEK);
		char *nl;

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		nl = memchr(buf + len, '\n', (size_t)r);
		if (nl)
			r = nl - (buf + len) + 1;
		r = recv(fd, buf + len, (size_t)r, 0);
		if (r <= 0)
			break;
		len += (size_t)r;
		if (nl)
			break;
	}
	buf[len] = '\0';
	return len ? (int)len : -1;
}

int mgr_write_all(int fd, const void *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t w = send(fd, (const char *)buf + off, len - off, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

int mgr_out_flush(struct mgr_out *o)
{
	int err = o->fd < 0 ? 0 : mgr_write_all(o->fd, o->buf, o->len);

	o->len = 0;
	return err;
}

/* One connection: its own thread, its own answer buffer. */
struct cli_conn {
	struct mgr *m;
	struct mgr_out out;
	char line[CLI_LINE_MAX];
};

static void *serve_one(void *arg)
{
	struct cli_conn *c = arg;

	if (read_line(c->out.fd, c->line, sizeof(c->line)) >= 0) {
		mgr_cli_run(c->m, c->line, &c->out);
		mgr_out_flush(&c->out);
	}
	close(c->out.fd);
	free(c);
	return NULL;
}

struct cli_srv {
	struct mgr *m;
	int lfd;
};

static void cli_main(void *arg)
{
	struct cli_srv *s = arg;
	/* A CLI that stops reading must not stall the RPC workers for good. */
	struct timeval send_limit = { .tv_sec = CLI_SEND_LIMIT_S };
	pthread_attr_t attr;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (;;) {
		struct cli_conn *c;
		pthread_t t;
		int fd = accept(s->lfd, NULL, NULL);

		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_limit, sizeof(send_limit));
		c = malloc(sizeof(*c));
		if (c) {
			c->m = s->m;
			c->out.fd = fd;
			c->out.len = 0;
		}
		if (!c || pthread_create(&t, &attr, serve_one, c)) {
			free(c);
			close(fd);
		}
	}
}

int mgr_cli_start(struct mgr *m)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	static struct cli_srv srv;

	if (strlen(m->opts.cli) >= sizeof(a.sun_path))
		return -ENAMETOOLONG;
	strcpy(a.sun_path, m->opts.cli);
	unlink(m->opts.cli);
	srv.m = m;
	srv.lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (srv.lfd < 0)
		return -errno;
	/* owner-only before it listens: no other user ever connects */
	if (bind(srv.lfd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    chmod(m->opts.cli, 0600) < 0 || listen(srv.lfd, 8) < 0) {
		int err = -errno;

		close(srv.lfd);
		return err;
	}
	return netplat_thread_start("mgr-cli", cli_main, &srv);
}
