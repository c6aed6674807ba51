/* The BENCH service of rpc-diag: RPC_BENCH replies with as many bytes as
 * the request asks for (rpc_bench_fill), with the framework's own PING,
 * ECHO and STATS (net/rpc/rpc_builtin.c) beside it. */
#include <tessera/cluster/diag.h>
#include <tessera/errno.h>
#include <tessera/net/rpc.h>

static int handle_rpc_bench(void *arg, const struct rpc_req *rq,
			    void *reply, u32 *reply_len)
{
	const struct rpc_bench_msg *m = rq->body;

	if (m->reply_len < 8 || m->reply_len > RPC_MAX_BODY)
		return -EINVAL;
	rpc_bench_fill(reply, m->seq, m->reply_len);
	*reply_len = m->reply_len;
	return 0;
}

int rpc_diag_register(struct rpc_ep *ep)
{
	int err = rpc_builtin_register(ep);

	return err ? err : rpc_register(ep, RPC_BENCH, handle_rpc_bench, NULL);
}
