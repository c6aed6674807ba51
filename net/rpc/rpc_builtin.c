/* The RPC framework's own opcodes (tessera/wire/rpc.h): RPC_PING answers
 * with the server's clock, RPC_ECHO returns its body unchanged (-EINVAL if
 * its length field disagrees), RPC_STATS reports the endpoint's counters.
 * An endpoint serves them once rpc_builtin_register is called on it. */
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

int rpc_builtin_register(struct rpc_ep *ep)
{
	int err = rpc_register(ep, RPC_PING, handle_rpc_ping, NULL);

	if (!err)
		err = rpc_register(ep, RPC_ECHO, handle_rpc_echo, NULL);
	return err ? err : rpc_register(ep, RPC_STATS, handle_rpc_stats, ep);
}
