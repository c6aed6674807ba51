/*
 * Diagnostic services of the cluster layer, written once for monitors and
 * Linux programs (rpc-client, host tests): a server of BENCH beside the
 * framework's own handlers (cluster/rpc_bench_serve.c), echo and BENCH load against a peer with
 * every reply checked (cluster/rpc_bench.c), and the one-sided RDMA probe
 * (cluster/rdma_probe.c). A monitor image links them as its config's
 * rpc-diag service (cluster/rpc_diag.c).
 */
#ifndef TESSERA_CLUSTER_DIAG_H
#define TESSERA_CLUSTER_DIAG_H

#include <tessera/net/rpc.h>

/* rpc-diag's server: the framework's PING, ECHO and STATS, and BENCH. */
int rpc_diag_register(struct rpc_ep *ep);

/* Echo load against one peer: count ECHO calls of body_len bytes each,
 * spread over threads callers (1: the calling thread only), every reply
 * checked byte for byte. Latencies are per call. served is how many
 * requests the peer served meanwhile (RPC_STATS before and after; -1 if
 * it could not be asked): equal to sent when each ran exactly once and
 * nobody else called. */
struct rpc_bench_result {
	u32 sent, ok, failed;
	s64 served;
	int first_err; /* the first failure's -errno, 0 if none */
	u64 median_ns, p99_ns;
	u64 elapsed_ns; /* first call sent to last reply in */
};
int rpc_bench_echo(struct rpc_peer *peer, u32 count, u32 threads,
		   u32 body_len, struct rpc_bench_result *out);
/* The same with BENCH calls: req_len-byte requests, reply_len-byte
 * replies (8..RPC_MAX_BODY each), every reply's pattern checked. */
int rpc_bench_sized(struct rpc_peer *peer, u32 count, u32 threads,
		    u32 req_len, u32 reply_len, struct rpc_bench_result *out);
/* Fill a BENCH reply of len bytes for call seq (the server's half). */
void rpc_bench_fill(struct rpc_bench_msg *m, u32 seq, u32 len);

/* RDMA probe (cluster/rdma_probe.c): serve a region for one-sided access
 * (RPC_RDMA_PROBE, CM_SERVICE_RDMA_PROBE), and against a peer that does,
 * RDMA WRITE a pattern there and READ it back: 0 when both completed and
 * the data matched, else -errno (-EBADMSG: mismatch). Not on the simulated
 * platform (it blocks). */
int rdma_probe_serve(struct rpc_ep *ep, struct net_if *nif, struct cm *cm);
int rdma_probe_run(struct rpc_peer *peer, struct net_if *nif, struct cm *cm);

#endif
