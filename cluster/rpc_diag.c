/*
 * The rpc-diag service of a monitor: the RPC framework's own handlers
 * (PING, ECHO, STATS, BENCH) and the RDMA probe's region on the endpoint,
 * and, with rpc_peers= or rdma_probe=, a thread that loads peers after
 * boot and prints one result line each:
 *
 *	RDMA probe peer=10.77.0.3 write+read err=0
 *	RPC peer=10.77.0.3 sent=.. ok=.. failed=.. median_us=.. p99_us=..
 *	    served=.. err=.. threads=.. calls_per_s=..
 *	RPC done
 *
 * The probe runs first: two connections from one address at once would
 * look to the peer like a restart. diag_nif and diag_cm are set once by
 * the boot thread (diag_start) before the client thread starts.
 */
#include <tessera/bootargs.h>
#include <tessera/cluster/diag.h>
#include <tessera/cluster/netboot.h>
#include <tessera/errno.h>
#include <tessera/printk.h>
#include <tessera/role.h>
#include <tessera/thread.h>
#include <tessera/time.h>

BOOTARG_KNOWN(rpc_peers, "comma-separated IPv4 addresses to run RPC echo calls against after boot");
BOOTARG_KNOWN(rpc_count, "RPC echo calls per rpc_peers address (default 1000)");
BOOTARG_KNOWN(rpc_threads, "calling threads per rpc_peers address (default 1)");
BOOTARG_KNOWN(rpc_reply, "with rpc_peers=: BENCH calls asking for replies of this many bytes instead of echo calls");
BOOTARG_KNOWN(rpc_req, "with rpc_reply=: request body bytes (default 32)");
BOOTARG_KNOWN(rdma_probe, "IPv4 address of a peer to RDMA WRITE and READ back once after boot");

#define RPC_CONNECT_WAIT_NS (60ull * NSEC_PER_SEC) /* peers may boot later */
#define RPC_CONNECT_TRY_NS (2ull * NSEC_PER_SEC)
#define RPC_BENCH_BODY 64

static struct net_if *diag_nif;
static struct cm *diag_cm;

static int diag_start(struct rpc_ep *ep, struct net_if *nif, struct cm *cm)
{
	int err = rpc_diag_register(ep);

	diag_nif = nif;
	diag_cm = cm;
	return err ? err : rdma_probe_serve(ep, nif, cm);
}

static const struct ep_service rpc_diag = { "rpc-diag", diag_start };
EP_SERVICE(rpc_diag);

static int diag_connect(u32 ip, struct rpc_peer **out)
{
	u64 until = time_ns() + RPC_CONNECT_WAIT_NS;
	int err;

	do {
		err = rpc_connect(net_rpc_ep(), ip, RPC_CONNECT_TRY_NS, out);
	} while (err && time_ns() < until);
	return err;
}

static int diag_load(struct rpc_peer *p, u32 count, u32 threads,
		     struct rpc_bench_result *r)
{
	u32 reply = (u32)bootarg_u64("rpc_reply", 0);

	if (!reply)
		return rpc_bench_echo(p, count, threads, RPC_BENCH_BODY, r);
	return rpc_bench_sized(p, count, threads,
			       (u32)bootarg_u64("rpc_req", 32), reply, r);
}

static void diag_peer_run(u32 ip, u32 count, u32 threads)
{
	struct rpc_bench_result r = { 0 };
	struct rpc_peer *p;
	char name[16];
	int err;

	net_ip_str(ip, name, sizeof(name));
	err = diag_connect(ip, &p);
	if (!err) {
		err = diag_load(p, count, threads, &r);
		rpc_peer_close(p);
	}
	if (err) {
		r.failed = count;
		r.served = -1;
	}
	printk(LOG_INFO,
	       "RPC peer=%s sent=%u ok=%u failed=%u median_us=%lu p99_us=%lu served=%ld err=%d threads=%u calls_per_s=%lu\n",
	       name, r.sent, r.ok, r.failed, (u64)(r.median_ns / NSEC_PER_USEC),
	       (u64)(r.p99_ns / NSEC_PER_USEC), (long)r.served,
	       err ? err : r.first_err, threads,
	       (u64)((u64)r.ok * NSEC_PER_SEC /
		     (r.elapsed_ns ? r.elapsed_ns : 1)));
}

static void diag_probe_once(void)
{
	const char *s = bootarg_str("rdma_probe", "");
	struct rpc_peer *p;
	u32 ip;
	int err;

	if (!*s)
		return;
	err = inet_parse(s, &ip, NULL);
	if (!err)
		err = diag_connect(ip, &p);
	if (!err) {
		err = rdma_probe_run(p, diag_nif, diag_cm);
		rpc_peer_close(p);
	}
	printk(LOG_INFO, "RDMA probe peer=%s write+read err=%d\n", s, err);
}

static void diag_client_main(void *arg)
{
	const char *s = bootarg_str("rpc_peers", "");
	u32 count = (u32)bootarg_u64("rpc_count", 1000);
	u32 threads = (u32)bootarg_u64("rpc_threads", 1);
	u32 ip;

	diag_probe_once();
	while (*s) {
		if (inet_parse(s, &ip, &s)) {
			pr_err("net: bad rpc_peers entry at \"%s\"\n", s);
			return;
		}
		diag_peer_run(ip, count, threads ? threads : 1);
		if (*s == ',')
			s++;
	}
	pr_info("RPC done\n");
}

/* After net_boot (a SERVICE_INITCALL): the endpoint is up or never will be. */
static int diag_client_init(void)
{
	if (!*bootarg_str("rpc_peers", "") && !*bootarg_str("rdma_probe", ""))
		return 0;
	if (!net_rpc_ep()) {
		pr_err("net: rpc_peers=/rdma_probe= need the network (ip=)\n");
		return -ENETDOWN;
	}
	return thread_spawn(diag_client_main, NULL, "rpc-client");
}
CLUSTER_INITCALL(diag_client_init);
