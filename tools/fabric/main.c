/*
 * fabric: the rig's virtual Ethernet switch. QEMU VMs (-netdev stream) and
 * hosted programs attach over Unix sockets; the fabric learns MACs, forwards
 * and floods, injects faults and latency, counts, and can capture to pcap.
 *
 *   fabric --ctl PATH [--seed N] [--pcap FILE]
 *          [--port NAME=PATH]...    connect to a socket the peer listens on
 *          [--listen NAME=PATH]...  listen; one peer at a time connects
 *          [-c "COMMAND"]...        control commands to run at start
 *
 * Ports given with --port are retried until the peer is there, and again
 * whenever it goes away, so VMs and the fabric can restart independently.
 * The seed is printed at start; give it back with --seed to repeat a run.
 */
#define _GNU_SOURCE /* accept4, asprintf */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "tools/fabric/fabric.h"

struct fabric fabric;

u64 fabric_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

static void epoll_ctl_tag(int op, int fd, enum fabric_ev kind, unsigned idx,
			  u32 events)
{
	struct epoll_event ev = { .events = events,
				  .data.u64 = (u64)kind << 32 | idx };

	if (epoll_ctl(fabric.epfd, op, fd, &ev) < 0) {
		perror("fabric: epoll_ctl");
		exit(1);
	}
}

void fabric_epoll_add(int fd, enum fabric_ev kind, unsigned idx, u32 events)
{
	epoll_ctl_tag(EPOLL_CTL_ADD, fd, kind, idx, events);
}

void fabric_epoll_mod(int fd, enum fabric_ev kind, unsigned idx, u32 events)
{
	epoll_ctl_tag(EPOLL_CTL_MOD, fd, kind, idx, events);
}

static void usage(void)
{
	fprintf(stderr, "usage: fabric --ctl PATH [--seed N] [--pcap FILE] "
		"[--port NAME=PATH]... [--listen NAME=PATH]... [-c CMD]...\n");
	exit(2);
}

/* --port/--listen NAME=PATH as the control command that adds the port. */
static char *port_cmd(const char *arg, bool listen)
{
	const char *eq = strchr(arg, '=');
	char *cmd;

	if (!eq || asprintf(&cmd, "add %.*s %s %s", (int)(eq - arg), arg,
			    listen ? "listen" : "connect", eq + 1) < 0)
		usage();
	return cmd;
}

static u64 default_seed(void)
{
	return (u64)time(NULL) ^ (u64)getpid() << 32;
}

/* Parse the command line; ports and -c commands become control commands,
 * run once the switch is set up. */
static void parse_args(int argc, char **argv, char ***cmds, int *ncmds)
{
	const char *ctl = NULL, *pcap = NULL;
	u64 seed = default_seed();

	*cmds = calloc((size_t)argc, sizeof(char *));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (i + 1 >= argc)
			usage();
		if (!strcmp(a, "--ctl"))
			ctl = argv[++i];
		else if (!strcmp(a, "--seed"))
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(a, "--pcap"))
			pcap = argv[++i];
		else if (!strcmp(a, "--port") || !strcmp(a, "--listen"))
			(*cmds)[(*ncmds)++] = port_cmd(argv[++i], a[2] == 'l');
		else if (!strcmp(a, "-c"))
			(*cmds)[(*ncmds)++] = argv[++i];
		else
			usage();
	}
	if (!ctl)
		usage();
	fabric_switch_init(&fabric.sw, seed);
	if (fabric_ctl_open(ctl) < 0 || (pcap && fabric_pcap_open(pcap) < 0))
		exit(1);
}

static void setup_fds(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	fabric.epfd = epoll_create1(EPOLL_CLOEXEC);
	fabric.sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	fabric.timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (fabric.epfd < 0 || fabric.sigfd < 0 || fabric.timerfd < 0) {
		perror("fabric: setup");
		exit(1);
	}
	fabric.ctl_lfd = -1;
	for (unsigned c = 0; c < FABRIC_CTL_CLIENTS; c++)
		fabric.ctl[c].fd = -1;
	if (fabric_delayq_init(&fabric.dq) < 0)
		exit(1);
}

/* Arm the timer for the next held frame (0: disarm). */
static void arm_timer(u64 due)
{
	struct itimerspec it = { 0 };

	it.it_value.tv_sec = (time_t)(due / 1000000000ull);
	it.it_value.tv_nsec = (long)(due % 1000000000ull);
	timerfd_settime(fabric.timerfd, TFD_TIMER_ABSTIME, &it, NULL);
}

static void run_timer(void)
{
	u64 ticks;

	if (read(fabric.timerfd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		perror("fabric: timerfd");
	arm_timer(fabric_delayq_run(&fabric.dq, fabric_now_ns()));
}

static void dispatch(u64 tag, u32 events)
{
	unsigned idx = (unsigned)tag;

	switch ((enum fabric_ev)(tag >> 32)) {
	case FABRIC_EV_PORT:
		if (events & EPOLLOUT)
			fabric_port_writable(idx);
		if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
			fabric_port_readable(idx);
		break;
	case FABRIC_EV_LISTEN:
		fabric_port_accept(idx);
		break;
	case FABRIC_EV_CTL_LISTEN:
		fabric_ctl_accept();
		break;
	case FABRIC_EV_CTL:
		fabric_ctl_readable(idx);
		break;
	case FABRIC_EV_TIMER:
		run_timer();
		break;
	case FABRIC_EV_SIGNAL:
		fabric.quit = true;
		break;
	}
}

static void loop(void)
{
	struct epoll_event ev[64];

	while (!fabric.quit) {
		int n = epoll_wait(fabric.epfd, ev, 64, 100);

		if (n < 0 && errno != EINTR) {
			perror("fabric: epoll_wait");
			return;
		}
		for (int i = 0; i < n; i++)
			dispatch(ev[i].data.u64, ev[i].events);
		fabric_port_retry(fabric_now_ns());
		arm_timer(fabric_delayq_run(&fabric.dq, fabric_now_ns()));
	}
}

int main(int argc, char **argv)
{
	char **cmds;
	int ncmds = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	setup_fds();
	parse_args(argc, argv, &cmds, &ncmds);
	fabric_epoll_add(fabric.timerfd, FABRIC_EV_TIMER, 0, EPOLLIN);
	fabric_epoll_add(fabric.sigfd, FABRIC_EV_SIGNAL, 0, EPOLLIN);
	printf("fabric: seed=%llu ctl=%s\n", (unsigned long long)fabric.sw.seed,
	       fabric.ctl_path);
	for (int i = 0; i < ncmds; i++)
		if (fabric_ctl_exec(cmds[i], stdout) < 0)
			return 1;
	fabric_port_retry(fabric_now_ns());
	loop();
	printf("fabric: exiting\n");
	fabric_pcap_close();
	fabric_port_close_all();
	unlink(fabric.ctl_path);
	return 0;
}
