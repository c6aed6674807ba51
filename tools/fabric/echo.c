/*
 * fabric-echo: a host node on the fabric that speaks the monitors' raw echo
 * protocol, so the rig, the scenarios and the bench work without a kernel.
 *
 *   fabric-echo --listen PATH | --connect PATH | --iface IF  [KEY=VALUE]...
 *
 * --iface attaches to a Linux guest's fabric interface through a packet
 * socket (the static build in the guest's initramfs, tests/linux).
 *
 * KEY=VALUEs are the monitors' boot arguments: name=, mac= (required),
 * echo_peers=MAC,MAC,... (ping each after ready), echo_count= (20),
 * echo_size= (64 bytes), echo_delay_ms= (500); others are ignored. Like a
 * monitor it prints "TESSERA READY name=NAME" once the fabric is attached
 * (not with --iface: there the guest's init says it) and answers every echo request sent to its MAC. It then reads commands
 * from stdin, one per line:
 *
 *   ping MAC [COUNT [SIZE]]   prints "ECHO peer=MAC sent=N recv=K"
 *   bench MAC N SIZE          N round trips, one at a time; prints
 *                             "BENCH peer=MAC size=S n=N lost=L median_us=..
 *                             p99_us=.. min_us=.. max_us=.."
 *   quit
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/fabric/echo.h"

struct echo_state echo;

static struct {
	const char *listen, *connect, *iface, *peers;
	unsigned count, size, delay_ms;
	bool have_mac;
} opt = { .count = 20, .size = 64, .delay_ms = 500 };

static void usage(const char *why)
{
	fprintf(stderr, "fabric-echo: %s\nusage: fabric-echo --listen PATH | "
		"--connect PATH | --iface IF name=NAME mac=MAC [echo_peers=MAC,..] "
		"[echo_count=N] [echo_size=BYTES] [echo_delay_ms=MS]\n", why);
	exit(2);
}

static unsigned frame_size(unsigned size)
{
	return MIN(MAX(size, ECHO_MIN_FRAME), FABRIC_LINK_MAX_FRAME);
}

static void parse_kv(const char *a)
{
	const char *v = strchr(a, '=') + 1;

	if (!strncmp(a, "name=", 5))
		snprintf(echo.name, sizeof(echo.name), "%s", v);
	else if (!strncmp(a, "mac=", 4))
		opt.have_mac = echo_parse_mac(v, echo.mac) == 0;
	else if (!strncmp(a, "echo_peers=", 11))
		opt.peers = v;
	else if (!strncmp(a, "echo_count=", 11))
		opt.count = (unsigned)atoi(v);
	else if (!strncmp(a, "echo_size=", 10))
		opt.size = frame_size((unsigned)atoi(v));
	else if (!strncmp(a, "echo_delay_ms=", 14))
		opt.delay_ms = (unsigned)atoi(v);
}

static void parse_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--listen") && i + 1 < argc)
			opt.listen = argv[++i];
		else if (!strcmp(argv[i], "--connect") && i + 1 < argc)
			opt.connect = argv[++i];
		else if (!strcmp(argv[i], "--iface") && i + 1 < argc)
			opt.iface = argv[++i];
		else if (strchr(argv[i], '='))
			parse_kv(argv[i]);
		else
			usage("bad argument");
	}
	if (!!opt.listen + !!opt.connect + !!opt.iface != 1)
		usage("give one of --listen, --connect and --iface");
	if (!opt.have_mac || !echo.name[0])
		usage("name= and mac= are required");
}

/* Serve requests for `ms` milliseconds. */
static void serve_for(unsigned ms)
{
	u64 end = echo_now_us() + (u64)ms * 1000, now;

	while ((now = echo_now_us()) < end)
		if (echo_step((int)((end - now + 999) / 1000)) < 0)
			return;
}

static void ping_peers(void)
{
	char *list = strdup(opt.peers), *save;
	u8 mac[6];

	serve_for(opt.delay_ms);
	for (char *s = strtok_r(list, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		if (echo_parse_mac(s, mac) == 0)
			echo_ping(mac, opt.count, opt.size);
		else
			printf("ECHO peer=%s bad-mac\n", s);
	}
	free(list);
}

/* One stdin command; false on "quit". */
static bool command(char *line)
{
	char verb[16], macs[32];
	unsigned a = 0, b = 0;
	int n = sscanf(line, "%15s %31s %u %u", verb, macs, &a, &b);
	u8 mac[6];

	if (n >= 1 && !strcmp(verb, "quit"))
		return false;
	if (n < 2 || echo_parse_mac(macs, mac) < 0)
		printf("ERR bad command: %s\n", line);
	else if (!strcmp(verb, "ping"))
		echo_ping(mac, n > 2 ? a : opt.count, frame_size(n > 3 ? b : opt.size));
	else if (!strcmp(verb, "bench") && n == 4)
		echo_bench(mac, a, frame_size(b));
	else
		printf("ERR bad command: %s\n", line);
	return true;
}

static void attach(void)
{
	int err = opt.listen  ? fabric_link_listen(&echo.link, opt.listen) :
		  opt.connect ? fabric_link_connect(&echo.link, opt.connect) :
				fabric_link_packet(&echo.link, opt.iface);

	if (err == 0)
		err = fabric_link_wait(&echo.link, -1);
	if (err < 0) {
		fprintf(stderr, "fabric-echo: attach: %s\n", strerror(-err));
		exit(1);
	}
	if (!opt.iface) /* in a guest, init says when the node is ready */
		printf("TESSERA READY name=%s\n", echo.name);
}

/* Run every complete line in buf; false on "quit". */
static bool run_lines(char *buf, size_t *len)
{
	char *nl;

	while ((nl = memchr(buf, '\n', *len))) {
		size_t n = (size_t)(nl + 1 - buf);
		bool more;

		*nl = 0;
		more = command(buf);
		*len -= n;
		memmove(buf, buf + n, *len);
		if (!more)
			return false;
	}
	if (*len == 255)
		*len = 0; /* an overlong line is dropped */
	return true;
}

/* Serve the link and stdin until "quit", or until a connecting link dies. */
static void run(void)
{
	char line[256];
	size_t len = 0;
	int in = 0;

	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = fabric_link_pollfd(&echo.link), .events = POLLIN },
			{ .fd = in, .events = POLLIN },
		};
		ssize_t r;

		if (!fabric_link_pending(&echo.link) && poll(pfd, 2, -1) < 0 && errno != EINTR)
			return;
		if ((pfd[0].revents || fabric_link_pending(&echo.link)) &&
		    echo_step(0) == -ENOTCONN)
			return;
		if (!pfd[1].revents)
			continue;
		r = read(0, line + len, sizeof(line) - 1 - len);
		if (r <= 0)
			in = -1;
		else if (len += (size_t)r, !run_lines(line, &len))
			return;
	}
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	parse_args(argc, argv);
	attach();
	if (opt.peers)
		ping_peers();
	run();
	return 0;
}
