/*
 * The registry's RPC handlers: C2G_REGISTER and C2G_HEARTBEAT on the
 * manager's endpoint. The RPC layer has checked the header and the body
 * length against RPC_OPCODES; mgr_register and mgr_heartbeat check the
 * body itself. Handlers run in the endpoint's worker threads.
 */
#include <tessera/net/rpc.h>

#include "managers/mgr.h"

static int handle_c2g_register(void *arg, const struct rpc_req *rq,
			       void *reply, u32 *reply_len)
{
	int err = mgr_register(arg, rq->body, rq->len, rq->peer_ip, reply,
			       mgr_now_ns());

	*reply_len = err ? 0 : sizeof(struct c2g_register_reply);
	return err;
}

static int handle_c2g_heartbeat(void *arg, const struct rpc_req *rq,
				void *reply, u32 *reply_len)
{
	int err = mgr_heartbeat(arg, rq->body, rq->len, reply, mgr_now_ns());

	*reply_len = err ? 0 : sizeof(struct c2g_heartbeat_reply);
	return err;
}

int mgr_registry_serve(struct mgr_registry *r, struct rpc_ep *ep)
{
	int err = rpc_register(ep, C2G_REGISTER, handle_c2g_register, r);

	return err ? err : rpc_register(ep, C2G_HEARTBEAT, handle_c2g_heartbeat, r);
}
