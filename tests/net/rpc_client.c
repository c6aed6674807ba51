/*
 * rpc-client: a Linux program on the fabric that runs the same checked
 * RPC echo load as a monitor's rpc_peers= boot argument, through the same
 * net/ sources on the Linux platform.
 *
 *   rpc-client --listen PATH | --connect PATH  KEY=VALUE...
 *
 * KEY=VALUEs are the monitors' boot arguments: ip= and rpc_peers=
 * (required), name=, mac=, rpc_count= (1000), rpc_threads= (1); others
 * are ignored, so the rig starts it like fabric-echo (role rpc-client).
 * Like a monitor it prints "TESSERA READY name=NAME" once attached and
 * serving, then one line per peer:
 *
 *   RPC peer=10.77.0.2 sent=N ok=N failed=0 median_us=.. p99_us=..
 *       served=N err=0
 *
 * (served: the peer's own count of requests served meanwhile) and exits 1
 * unless every call succeeded and was served exactly once. It attaches like fabric-echo: it
 * listens on a socket the fabric connects to (--listen) or connects to a
 * port the fabric listens on (--connect).
 *
 * Threads: main (connect, load), the I/O thread (frames in, ticks), the
 * RPC endpoint's own threads and the load's callers. xmit_lock serializes
 * senders on the link; only the I/O thread receives.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tessera/netcm.h>
#include <tessera/netplat.h>
#include <tessera/netrpc.h>
#include <tessera/netstack.h>

#include "net/plat_linux.h"
#include "tools/fabric/attach.h"

#define TICK_NS 1000000ull
#define CONNECT_NS (30ull * 1000000000ull)

#define BODY_LEN 64 /* as a monitor's rpc_peers= load */

struct opts {
	const char *listen, *connect, *peers, *name;
	u32 ip, count, threads;
	u8 mac[6];
};

static struct fabric_link link_;
static pthread_mutex_t xmit_lock = PTHREAD_MUTEX_INITIALIZER;

static int link_xmit(void *port, const void *frame, size_t len)
{
	int err;

	pthread_mutex_lock(&xmit_lock);
	err = fabric_link_send(&link_, frame, len);
	pthread_mutex_unlock(&xmit_lock);
	return err;
}

static void io_thread(void *arg)
{
	static u8 buf[FABRIC_LINK_MAX_FRAME];
	struct net_if *nif = arg;
	u64 next_tick = 0;

	for (;;) {
		int n = fabric_link_recv(&link_, buf, sizeof(buf), 1);

		if (n > 0)
			net_input(nif, buf, (size_t)n);
		if (netplat_now_ns() >= next_tick) {
			net_tick(nif);
			next_tick = netplat_now_ns() + TICK_NS;
		}
	}
}

static void usage(void)
{
	fprintf(stderr,
		"usage: rpc-client --listen PATH | --connect PATH ip=A.B.C.D\n"
		"       rpc_peers=A.B.C.D[,...] [name=NAME] [mac=XX:XX:..]\n"
		"       [rpc_count=N] [rpc_threads=T]\n");
	exit(2);
}

static void parse_mac(const char *s, u8 *mac)
{
	unsigned v[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4],
		   &v[5]) != 6)
		usage();
	for (int i = 0; i < 6; i++)
		mac[i] = (u8)v[i];
}

/* One "key=value" boot argument; false for a bad value. */
static bool parse_kv(struct opts *o, const char *a)
{
	const char *v = strchr(a, '=') + 1;
	size_t k = (size_t)(v - a);

	if (!strncmp(a, "ip=", k))
		return !inet_parse(v, &o->ip, NULL);
	if (!strncmp(a, "mac=", k))
		parse_mac(v, o->mac);
	else if (!strncmp(a, "name=", k))
		o->name = v;
	else if (!strncmp(a, "rpc_peers=", k))
		o->peers = v;
	else if (!strncmp(a, "rpc_count=", k))
		o->count = (u32)strtoul(v, NULL, 0);
	else if (!strncmp(a, "rpc_threads=", k))
		o->threads = (u32)strtoul(v, NULL, 0);
	return true;
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	*o = (struct opts){ .count = 1000, .threads = 1, .name = "rpc-client",
			    .mac = { 0x52, 0x54, 0x00, 0x77, 0x01, 0x01 } };
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--listen") && i + 1 < argc)
			o->listen = argv[++i];
		else if (!strcmp(argv[i], "--connect") && i + 1 < argc)
			o->connect = argv[++i];
		else if (!strchr(argv[i], '=') || !parse_kv(o, argv[i]))
			usage();
	}
	if (!o->listen == !o->connect || !o->ip || !o->peers || !o->threads)
		usage();
}

static int attach(const struct opts *o)
{
	int err = o->listen ? fabric_link_listen(&link_, o->listen) :
			      fabric_link_connect(&link_, o->connect);

	if (!err)
		err = fabric_link_wait(&link_, 30000);
	if (err)
		fprintf(stderr, "rpc-client: cannot attach to the fabric: %s\n",
			strerror(-err));
	return err;
}

static struct rpc_ep *stack_up(const struct opts *o)
{
	struct net_if_config cfg = { .ip = o->ip, .mtu = 1500 };
	struct rpc_ep_config ec = { .window = 16, .workers = 2 };
	struct net_if *nif;
	struct rpc_ep *ep;
	struct cm *cm;

	memcpy(cfg.mac, o->mac, 6);
	plat_linux_set_xmit(link_xmit);
	if (net_if_create(&cfg, &nif) || cm_create(nif, &cm) ||
	    rpc_ep_create(nif, cm, &ec, &ep) || rpc_echo_register(ep) ||
	    netplat_thread_start("io", io_thread, nif))
		return NULL;
	return ep;
}

/* One peer: 0 when every call succeeded. */
static int run_peer(struct rpc_ep *ep, u32 ip, const struct opts *o)
{
	struct rpc_bench_result r = { 0 };
	struct rpc_peer *p;
	int err = rpc_connect(ep, ip, CONNECT_NS, &p);

	if (!err) {
		err = rpc_bench_echo(p, o->count, o->threads, BODY_LEN, &r);
		rpc_peer_close(p);
	}
	if (err) {
		r.failed = o->count;
		r.served = -1;
	}
	printf("RPC peer=%u.%u.%u.%u sent=%u ok=%u failed=%u median_us=%llu "
	       "p99_us=%llu served=%lld err=%d\n", ip >> 24, (ip >> 16) & 255,
	       (ip >> 8) & 255, ip & 255, r.sent, r.ok, r.failed,
	       (unsigned long long)r.median_ns / 1000,
	       (unsigned long long)r.p99_ns / 1000, (long long)r.served,
	       err ? err : r.first_err);
	fflush(stdout);
	return err || r.failed || r.ok != o->count || r.served != o->count;
}

int main(int argc, char **argv)
{
	const char *s;
	struct rpc_ep *ep;
	struct opts o;
	int bad = 0;
	u32 ip;

	parse_opts(argc, argv, &o);
	if (attach(&o))
		return 1;
	ep = stack_up(&o);
	if (!ep) {
		fprintf(stderr, "rpc-client: network stack failed to start\n");
		return 1;
	}
	printf("TESSERA READY name=%s\n", o.name);
	fflush(stdout);
	for (s = o.peers; *s; s += *s == ',') {
		if (inet_parse(s, &ip, &s))
			usage();
		bad |= run_peer(ep, ip, &o);
	}
	return bad;
}
