/*
 * The CLI socket: a Unix stream socket where the `tessera` command sends
 * one request line ("nodes", "vnode create NAME", ...) and reads the
 * answer: text lines, then a last line "ok" or "err MESSAGE". One request
 * per connection, served one at a time by the CLI thread (no lock of its
 * own; commands take the locks of the state they read).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <tessera/netplat.h>

#include "managers/mgr.h"

#define CLI_LINE_MAX 512
#define CLI_ARGS_MAX 8

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

/* Read one request line; its length, or -1. */
static int read_line(int fd, char *buf, size_t cap)
{
	size_t len = 0;

	while (len < cap - 1) {
		ssize_t r = read(fd, buf + len, cap - 1 - len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
		if (memchr(buf, '\n', len))
			break;
	}
	buf[len] = '\0';
	return len ? (int)len : -1;
}

static void serve_one(struct mgr *m, int fd, struct mgr_out *o)
{
	char line[CLI_LINE_MAX];
	size_t off = 0;

	if (read_line(fd, line, sizeof(line)) < 0)
		return;
	mgr_cli_run(m, line, o);
	while (off < o->len) {
		ssize_t w = write(fd, o->buf + off, o->len - off);

		if (w <= 0 && errno != EINTR)
			return;
		if (w > 0)
			off += (size_t)w;
	}
}

struct cli_srv {
	struct mgr *m;
	int lfd;
	struct mgr_out out;
};

static void cli_main(void *arg)
{
	struct cli_srv *s = arg;

	for (;;) {
		int fd = accept(s->lfd, NULL, NULL);

		if (fd < 0)
			continue;
		serve_one(s->m, fd, &s->out);
		close(fd);
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
	if (bind(srv.lfd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(srv.lfd, 8) < 0) {
		int err = -errno;

		close(srv.lfd);
		return err;
	}
	return netplat_thread_start("mgr-cli", cli_main, &srv);
}
