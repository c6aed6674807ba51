/*
 * GPM's calls about running launches and processes (tessera/wire/proc.h):
 * INPUT feeds a launch's stdin (launch.c's pipe), KILL sends a signal
 * within a vNode (`tessera kill`, a CLI's Ctrl-C), PS lists a vNode's
 * processes (`tessera ps`). Each checks its message and answers at once;
 * none waits. No state of its own.
 */
#include <tessera/errno.h>
#include <tessera/net/rpc.h>
#include <tessera/wire/proc.h>

#include "processor/launch/launch.h"
#include "processor/proc/proc.h"
#include "processor/proc/signal.h"

static struct pmon *pctl_mon;

static int handle_gp2p_input(void *arg, const struct rpc_req *rq, void *reply,
			     u32 *reply_len)
{
	const struct gp2p_input_msg *m = rq->body;
	struct gp2p_input_reply *rep = reply;
	struct plaunch *l;
	long r;

	if (m->version != PROC_VERSION || m->len != rq->len - PROC_INPUT_HDR ||
	    (m->flags & ~PROC_INPUT_EOF))
		return -EINVAL;
	l = plaunch_get(m->launch);
	if (!l)
		return -ENOENT;
	r = plaunch_input(l, m->data, m->len, m->flags & PROC_INPUT_EOF);
	plaunch_put(l);
	if (r < 0)
		return (int)r;
	*rep = (struct gp2p_input_reply){ .version = PROC_VERSION, .taken = (u32)r };
	*reply_len = sizeof(*rep);
	return 0;
}

static int handle_gp2p_kill(void *arg, const struct rpc_req *rq, void *reply,
			    u32 *reply_len)
{
	const struct gp2p_kill_msg *m = rq->body;

	*reply_len = 0;
	if (m->version != PROC_VERSION || !m->vnode)
		return -EINVAL;
	return psig_kill_from_gpm(pctl_mon, m->vnode, m->pid, m->signo);
}

static int handle_gp2p_ps(void *arg, const struct rpc_req *rq, void *reply,
			  u32 *reply_len)
{
	const struct gp2p_ps_msg *m = rq->body;
	struct gp2p_ps_reply *rep = reply;
	bool more;

	if (m->version != PROC_VERSION)
		return -EINVAL;
	rep->version = PROC_VERSION;
	rep->count = (u16)pproc_list(pctl_mon, m->vnode, m->from, m->from_tid, rep->e,
				      PROC_PS_MAX, &more);
	rep->more = more;
	*reply_len = (u32)(PROC_PS_HDR + rep->count * sizeof(rep->e[0]));
	return 0;
}

int plaunch_ctl_serve(struct pmon *mon, struct rpc_ep *ep)
{
	int err = rpc_register(ep, GP2P_INPUT, handle_gp2p_input, NULL);

	pctl_mon = mon;
	if (!err)
		err = rpc_register(ep, GP2P_KILL, handle_gp2p_kill, NULL);
	return err ? err : rpc_register(ep, GP2P_PS, handle_gp2p_ps, NULL);
}
