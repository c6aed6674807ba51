/*
 * rpc-client: a Linux program on the fabric that runs the same checked
 * RPC echo load as a monitor's rpc_peers= boot argument, through the same
 * net/ sources on the Linux platform.
 *
 *   rpc-client --listen PATH KEY=VALUE...
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
 * unless every call succeeded and was served exactly once. It attaches like
 * the managers, through tools/fabric/plat_fabric.c: it listens on a socket the
 * fabric connects to (--listen).
 *
 * Threads: main (connect, load), plat_fabric's receive thread, the RPC
 * endpoint's own threads and the load's callers.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tessera/cluster/diag.h>
#include <tessera/net/cm.h>
#include <tessera/net/plat.h>
#include <tessera/net/rpc.h>
#include <tessera/net/stack.h>

#include "tools/fabric/plat_fabric.h"

#define ATTACH_WAIT_MS 30000
#define CONNECT_NS (30ull * 1000000000ull)

#define BODY_LEN 64 /* as a monitor's rpc_peers= load */

struct opts {
	const char *listen, *peers, *name;
	u32 ip, count, threads;
	u8 mac[6];
};

static void usage(void)
{
	fprintf(stderr,
		"usage: rpc-client --listen PATH ip=A.B.C.D\n"
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
		else if (!strchr(argv[i], '=') || !parse_kv(o, argv[i]))
			usage();
	}
	if (!o->listen || !o->ip || !o->peers || !o->threads)
		usage();
}

static struct rpc_ep *stack_up(const struct opts *o)
{
	struct rpc_ep_config ec = { .window = 16, .workers = 2 };
	struct plat_fabric *pf;
	struct rpc_ep *ep;
	struct cm *cm;
	int err = plat_fabric_start(o->listen, o->mac, o->ip, ATTACH_WAIT_MS, &pf);

	if (err) {
		fprintf(stderr, "rpc-client: cannot attach to the fabric: %s\n",
			strerror(-err));
		return NULL;
	}
	if (cm_create(plat_fabric_nif(pf), &cm) ||
	    rpc_ep_create(plat_fabric_nif(pf), cm, &ec, &ep) || rpc_diag_register(ep))
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
