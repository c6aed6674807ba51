/* The framework's own service: RPC_PING answers with the server's clock,
 * RPC_ECHO returns its body unchanged, RPC_STATS reports the endpoint's
 * counters, RPC_BENCH replies with as many bytes as asked. Every monitor
 * serves them. */
#include <tessera/cluster/diag.h>
#include <tessera/errno.h>
#include <tessera/net/plat.h>
#include <tessera/net/rpc.h>
#include <tessera/string.h>

static int handle_rpc_ping(void *arg, const struct rpc_req *rq, void *reply,
			   u32 *reply_len)
{
	const struct rpc_ping_msg *m = rq->body;
	struct rpc_ping_reply r = { .seq = m->seq,
				    .server_time_ns = netplat_now_ns() };

	memcpy(reply, &r, sizeof(r));
	*reply_len = sizeof(r);
	return 0;
}

static int handle_rpc_echo(void *arg, const struct rpc_req *rq, void *reply,
			   u32 *reply_len)
{
	const struct rpc_echo_msg *m = rq->body;

	if (m->len != rq->len - 8)
		return -EINVAL;
	memcpy(reply, rq->body, rq->len);
	*reply_len = rq->len;
	return 0;
}

static int handle_rpc_stats(void *arg, const struct rpc_req *rq,
			    void *reply, u32 *reply_len)
{
	struct rpc_stats st;
	struct rpc_stats_reply r;

	rpc_get_stats(arg, &st);
	r = (struct rpc_stats_reply){
		.served = st.served, .unknown_op = st.unknown_op,
		.malformed = st.bad_magic + st.bad_version + st.bad_opcode +
			     st.bad_len,
		.late_replies = st.late_replies };
	memcpy(reply, &r, sizeof(r));
	*reply_len = sizeof(r);
	return 0;
}

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

int rpc_echo_register(struct rpc_ep *ep)
{
	int err = rpc_register(ep, RPC_PING, handle_rpc_ping, NULL);

	if (!err)
		err = rpc_register(ep, RPC_ECHO, handle_rpc_echo, NULL);
	if (!err)
		err = rpc_register(ep, RPC_BENCH, handle_rpc_bench, NULL);
	return err ? err : rpc_register(ep, RPC_STATS, handle_rpc_stats, ep);
}
