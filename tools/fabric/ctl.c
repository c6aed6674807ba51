/*
 * The fabric's control socket: a Unix stream socket speaking lines of text.
 * Each command gets zero or more reply lines and then one final line, "ok"
 * or "err <reason>". Commands (PORT is a port name, "all" where noted):
 *
 *   stats [PORT]            one "port NAME state=... counter=value ..." line
 *                           per port, then "total ..." and "held=N"
 *   set PORT|all KEY=VALUE...  faults on frames entering from PORT; "all"
 *                           also sets them for ports added later. KEYs:
 *                           latency_us, drop, dup, reorder, reorder_us
 *   down PORT | up PORT     cut a port off the fabric / reconnect it
 *   partition A,B,.. C,D,.. drop traffic between the two sets
 *   heal                    end the partition
 *   add NAME connect|listen PATH    a new port
 *   del PORT                remove a port
 *   clear                   zero all counters
 *   seed                    "seed N": the seed of this run
 *   pcap PATH | pcap off    start (truncating) / stop the capture
 *   flush                   flush the capture file
 *   quit                    stop the fabric
 */
#define _GNU_SOURCE /* accept4, asprintf */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "tools/fabric/fabric.h"

#define MAX_ARGS 16

static char ctl_msg[256];

/* Record why a command failed; returns -1 for the handler to return. */
static int __attribute__((format(printf, 1, 2))) fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctl_msg, sizeof(ctl_msg), fmt, ap);
	va_end(ap);
	return -1;
}

static int port_arg(const char *name)
{
	int p = fabric_port_find(name);

	return p < 0 ? fail("no port %s", name) : p;
}

static void stats_line(FILE *out, const char *what,
		       const struct fabric_port_stats *s)
{
	fprintf(out, "%s rx_frames=%llu rx_bytes=%llu copies=%llu "
		"drop_fault=%llu drop_cut=%llu drop_partition=%llu dups=%llu "
		"reorders=%llu tx_frames=%llu tx_bytes=%llu tx_drops=%llu\n", what,
		(unsigned long long)s->rx_frames, (unsigned long long)s->rx_bytes,
		(unsigned long long)s->copies, (unsigned long long)s->drop_fault,
		(unsigned long long)s->drop_cut,
		(unsigned long long)s->drop_partition, (unsigned long long)s->dups,
		(unsigned long long)s->reorders, (unsigned long long)s->tx_frames,
		(unsigned long long)s->tx_bytes, (unsigned long long)s->tx_drops);
}

static void stats_add(struct fabric_port_stats *t, const struct fabric_port_stats *s)
{
	u64 *a = (u64 *)t;
	const u64 *b = (const u64 *)s;

	for (size_t i = 0; i < sizeof(*s) / sizeof(u64); i++)
		a[i] += b[i];
}

static int cmd_stats(int argc, char **argv, FILE *out)
{
	struct fabric_port_stats total = { 0 };
	char what[FABRIC_NAME_MAX + 64];

	if (argc > 1 && port_arg(argv[1]) < 0)
		return -1;
	for (unsigned p = 0; p < FABRIC_MAX_PORTS; p++) {
		const struct fabric_io_port *io = fabric.port[p];

		if (!io || (argc > 1 && strcmp(io->name, argv[1])))
			continue;
		snprintf(what, sizeof(what), "port %s state=%s group=%u", io->name,
			 fabric_port_state(p), fabric.sw.port[p].group);
		stats_line(out, what, &fabric.sw.port[p].st);
		stats_add(&total, &fabric.sw.port[p].st);
	}
	stats_line(out, "total", &total);
	fprintf(out, "held=%u\n", fabric.dq.nheap);
	return 0;
}

static bool key_is(const char *kv, size_t klen, const char *key)
{
	return klen == strlen(key) && !strncmp(kv, key, klen);
}

/* The probability a key names, or NULL. */
static double *prob_field(struct fabric_faults *f, const char *kv, size_t klen)
{
	if (key_is(kv, klen, "drop"))
		return &f->drop;
	if (key_is(kv, klen, "dup"))
		return &f->dup;
	return key_is(kv, klen, "reorder") ? &f->reorder : NULL;
}

/* Apply one KEY=VALUE to a fault set. */
static int set_fault(struct fabric_faults *f, const char *kv)
{
	const char *eq = strchr(kv, '=');
	char *end = NULL;
	double v = eq ? strtod(eq + 1, &end) : -1, *prob;
	size_t klen = eq ? (size_t)(eq - kv) : 0;

	if (!eq || *end || end == eq + 1 || v < 0)
		return fail("bad setting %s", kv);
	if (key_is(kv, klen, "latency_us"))
		f->latency_us = (u32)v;
	else if (key_is(kv, klen, "reorder_us"))
		f->reorder_us = (u32)v;
	else if (!(prob = prob_field(f, kv, klen)))
		return fail("unknown setting %s", kv);
	else if (v > 1)
		return fail("bad setting %s (a probability is 0..1)", kv);
	else
		*prob = v;
	return 0;
}

static void set_all(const struct fabric_faults *f)
{
	fabric.defaults = *f;
	for (unsigned q = 0; q < FABRIC_MAX_PORTS; q++)
		if (fabric.port[q])
			fabric.sw.port[q].faults = *f;
}

static int cmd_set(int argc, char **argv, FILE *out)
{
	bool all;
	int p = 0;
	struct fabric_faults f;

	if (argc < 3)
		return fail("usage: set PORT|all KEY=VALUE...");
	all = !strcmp(argv[1], "all");
	if (!all && (p = port_arg(argv[1])) < 0)
		return -1;
	f = all ? fabric.defaults : fabric.sw.port[p].faults;
	for (int i = 2; i < argc; i++)
		if (set_fault(&f, argv[i]) < 0)
			return -1;
	if (all)
		set_all(&f);
	else
		fabric.sw.port[p].faults = f;
	return 0;
}

static int cmd_cut(int argc, char **argv, FILE *out)
{
	int p;

	if (argc != 2)
		return fail("usage: %s PORT", argv[0]);
	if ((p = port_arg(argv[1])) < 0)
		return -1;
	fabric.sw.port[p].cut = !strcmp(argv[0], "down");
	return 0;
}

/* "a,b,c" to a port bit mask. */
static int port_set(char *list, u64 *mask)
{
	char *save;

	*mask = 0;
	for (char *s = strtok_r(list, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		int p = port_arg(s);

		if (p < 0)
			return -1;
		*mask |= 1ull << p;
	}
	return 0;
}

static int cmd_partition(int argc, char **argv, FILE *out)
{
	u64 a, b;

	if (argc != 3)
		return fail("usage: partition A,B,.. C,D,..");
	if (port_set(argv[1], &a) < 0 || port_set(argv[2], &b) < 0)
		return -1;
	if (a & b)
		return fail("a port is in both sets");
	fabric_switch_partition(&fabric.sw, a, b);
	return 0;
}

static int cmd_heal(int argc, char **argv, FILE *out)
{
	fabric_switch_heal(&fabric.sw);
	return 0;
}

static int cmd_add(int argc, char **argv, FILE *out)
{
	int err;

	if (argc != 4 || (strcmp(argv[2], "connect") && strcmp(argv[2], "listen")))
		return fail("usage: add NAME connect|listen PATH");
	err = fabric_port_add(argv[1], argv[3], argv[2][0] == 'l');
	if (err < 0)
		return fail("add %s: %s", argv[1], strerror(-err));
	fabric_port_retry(fabric_now_ns());
	return 0;
}

static int cmd_del(int argc, char **argv, FILE *out)
{
	int p;

	if (argc != 2)
		return fail("usage: del PORT");
	if ((p = port_arg(argv[1])) < 0)
		return -1;
	return fabric_port_del((unsigned)p);
}

static int cmd_clear(int argc, char **argv, FILE *out)
{
	for (unsigned p = 0; p < FABRIC_MAX_PORTS; p++)
		memset(&fabric.sw.port[p].st, 0, sizeof(fabric.sw.port[p].st));
	return 0;
}

static int cmd_seed(int argc, char **argv, FILE *out)
{
	fprintf(out, "seed %llu\n", (unsigned long long)fabric.sw.seed);
	return 0;
}

static int cmd_pcap(int argc, char **argv, FILE *out)
{
	if (argc != 2)
		return fail("usage: pcap PATH|off");
	if (!strcmp(argv[1], "off")) {
		fabric_pcap_close();
		return 0;
	}
	return fabric_pcap_open(argv[1]) < 0 ? fail("cannot write %s", argv[1]) : 0;
}

static int cmd_flush(int argc, char **argv, FILE *out)
{
	if (fabric.pcap)
		fflush(fabric.pcap);
	return 0;
}

static int cmd_quit(int argc, char **argv, FILE *out)
{
	fabric.quit = true;
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv, FILE *out);
} commands[] = {
	{ "stats", cmd_stats }, { "set", cmd_set },     { "down", cmd_cut },
	{ "up", cmd_cut },       { "partition", cmd_partition },
	{ "heal", cmd_heal },    { "add", cmd_add },     { "del", cmd_del },
	{ "clear", cmd_clear },  { "seed", cmd_seed },   { "pcap", cmd_pcap },
	{ "flush", cmd_flush },  { "quit", cmd_quit },
};

int fabric_ctl_exec(char *line, FILE *out)
{
	char *argv[MAX_ARGS], *save;
	int argc = 0, err = fail("unknown command");

	for (char *s = strtok_r(line, " \t\r\n", &save); s && argc < MAX_ARGS;
	     s = strtok_r(NULL, " \t\r\n", &save))
		argv[argc++] = s;
	if (!argc)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[0], commands[i].name))
			err = commands[i].fn(argc, argv, out);
	if (err < 0)
		fprintf(out, "err %s\n", ctl_msg);
	else
		fprintf(out, "ok\n");
	return err;
}

int fabric_ctl_open(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "fabric: control path too long: %s\n", path);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, path);
	strcpy(fabric.ctl_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	unlink(path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, 8) < 0) {
		fprintf(stderr, "fabric: control socket %s: %s\n", path, strerror(errno));
		return -errno;
	}
	fabric.ctl_lfd = fd;
	fabric_epoll_add(fd, FABRIC_EV_CTL_LISTEN, 0, EPOLLIN);
	return 0;
}

void fabric_ctl_accept(void)
{
	int fd = accept4(fabric.ctl_lfd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return;
	for (unsigned c = 0; c < FABRIC_CTL_CLIENTS; c++) {
		if (fabric.ctl[c].fd < 0) {
			fabric.ctl[c].fd = fd;
			fabric.ctl[c].len = 0;
			fabric_epoll_add(fd, FABRIC_EV_CTL, c, EPOLLIN);
			return;
		}
	}
	close(fd);
}

static void ctl_close(struct fabric_ctl_client *cl)
{
	close(cl->fd);
	cl->fd = -1;
}

/* Run one command line from a client and send back the whole reply. */
static void ctl_run_line(struct fabric_ctl_client *cl, char *line)
{
	char *reply = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&reply, &len);

	if (!out)
		return ctl_close(cl);
	fabric_ctl_exec(line, out);
	fclose(out);
	if (send(cl->fd, reply, len, MSG_NOSIGNAL) != (ssize_t)len)
		ctl_close(cl);
	free(reply);
}

void fabric_ctl_readable(unsigned c)
{
	struct fabric_ctl_client *cl = &fabric.ctl[c];
	ssize_t n = read(cl->fd, cl->buf + cl->len, sizeof(cl->buf) - 1 - cl->len);
	char *nl;

	if (n <= 0)
		return ctl_close(cl);
	cl->len += (size_t)n;
	cl->buf[cl->len] = 0;
	while (cl->fd >= 0 && (nl = strchr(cl->buf, '\n'))) {
		*nl = 0;
		ctl_run_line(cl, cl->buf);
		cl->len -= (size_t)(nl + 1 - cl->buf);
		memmove(cl->buf, nl + 1, cl->len + 1);
	}
	if (cl->fd >= 0 && cl->len == sizeof(cl->buf) - 1)
		ctl_close(cl);
}
