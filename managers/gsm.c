/*
 * GSM: tracks the sComponents (through the shared registry) and assigns
 * each new vNode the sComponent that holds its files (gsm_policy.c). GPM
 * asks with GP2GS_ASSIGN when it creates a vNode.
 *
 * Locking: registry->lock, held while picking and counting.
 */
#include <errno.h>
#include <stdio.h>

#include <tessera/net/rpc.h>

#include "managers/mgr.h"

static int handle_gp2gs_assign(void *arg, const struct rpc_req *rq,
			       void *reply, u32 *reply_len)
{
	const struct gp2gs_assign_msg *q = rq->body;
	struct gp2gs_assign_reply *rep = reply;
	struct mgr_registry *r = arg;
	int s;

	*reply_len = 0;
	if (rq->len != sizeof(*q) || q->version != MGR_VERSION)
		return -EINVAL;
	pthread_mutex_lock(&r->lock);
	s = gsm_pick_storage(r->comps, r->n);
	if (s >= 0) {
		r->comps[s].placed++;
		*rep = (struct gp2gs_assign_reply){ .version = MGR_VERSION,
						    .storage_ip = r->comps[s].ip };
		printf("%s: vnode %u: storage %s\n", r->who, q->vnode,
		       r->comps[s].name);
	}
	pthread_mutex_unlock(&r->lock);
	if (s < 0)
		return -ENODEV;
	*reply_len = sizeof(*rep);
	return 0;
}

static int gsm_start(struct mgr *m)
{
	return rpc_register(m->ep, GP2GS_ASSIGN, handle_gp2gs_assign, &m->reg);
}

static int gsm_command(struct mgr *m, int argc, char **argv, struct mgr_out *o)
{
	return 1;
}

const struct mgr_role_ops gsm_ops = { "gsm", gsm_start, gsm_command };
