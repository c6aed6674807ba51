/*
 * The endpoint's threads (only when cfg.workers > 0): one progress
 * thread waiting on the completion queue and calling rpc_poll, and the
 * workers, which take queued requests (ep->work_head, guarded by
 * ep->lock) and serve them. ep->threads counts the running ones so that
 * rpc_threads_stop can wait for them all to leave.
 */
#include <tessera/errno.h>
#include <tessera/net/rdma.h>

#include "net/rpc/rpc_priv.h"

#define RPC_IDLE_NS (20ull * 1000000ull) /* recheck ep->stop this often */

static void thread_exit_note(struct rpc_ep *ep)
{
	netplat_lock(ep->lock);
	ep->threads--;
	netplat_cond_broadcast(ep->work_cond);
	netplat_unlock(ep->lock);
}

static void progress_main(void *arg)
{
	struct rpc_ep *ep = arg;

	for (;;) {
		netplat_lock(ep->lock);
		if (ep->stop)
			break;
		netplat_unlock(ep->lock);
		rdma_cq_wait(ep->cq, netplat_now_ns() + RPC_IDLE_NS);
		rpc_poll(ep);
	}
	netplat_unlock(ep->lock);
	thread_exit_note(ep);
}

static struct rpc_work *work_take(struct rpc_ep *ep)
{
	while (!ep->work_head && !ep->stop)
		netplat_cond_wait(ep->work_cond, ep->lock,
				  netplat_now_ns() + RPC_IDLE_NS);
	return rpc_work_take(ep, false);
}

static void worker_main(void *arg)
{
	struct rpc_ep *ep = arg;
	struct rpc_work *w;

	for (;;) {
		netplat_lock(ep->lock);
		w = work_take(ep);
		netplat_unlock(ep->lock);
		if (!w)
			break;
		rpc_serve(w->peer, w->rbuf);
	}
	thread_exit_note(ep);
}

static int start_one(struct rpc_ep *ep, const char *name,
		     void (*fn)(void *arg))
{
	int err;

	netplat_lock(ep->lock);
	ep->threads++;
	netplat_unlock(ep->lock);
	err = netplat_thread_start(name, fn, ep);
	if (err)
		thread_exit_note(ep);
	return err;
}

int rpc_threads_start(struct rpc_ep *ep)
{
	int err;

	if (!ep->workers)
		return 0;
	err = start_one(ep, "rpc-poll", progress_main);
	for (u32 i = 0; i < ep->workers && !err; i++)
		err = start_one(ep, "rpc-worker", worker_main);
	if (err)
		rpc_threads_stop(ep);
	return err;
}

/* Workers finish the queue before they leave. */
void rpc_threads_stop(struct rpc_ep *ep)
{
	netplat_lock(ep->lock);
	ep->stop = true;
	netplat_cond_broadcast(ep->work_cond);
	netplat_cond_broadcast(ep->cond);
	while (ep->threads)
		netplat_cond_wait(ep->work_cond, ep->lock,
				  netplat_now_ns() + RPC_IDLE_NS);
	netplat_unlock(ep->lock);
}
