/* Completion queues: a ring of work completions, polled or waited on. */
#include <tessera/errno.h>

#include "net/rdma/rdma_priv.h"

int rdma_cq_create(struct net_if *nif, u32 depth, struct rdma_cq **out)
{
	struct rdma_cq *cq;

	if (!depth)
		return -EINVAL;
	cq = netplat_alloc(sizeof(*cq));
	if (!cq)
		return -ENOMEM;
	cq->dev = nif->rdma;
	cq->depth = depth;
	cq->ring = netplat_alloc(depth * sizeof(*cq->ring));
	cq->cond = netplat_cond_new();
	if (!cq->ring || !cq->cond) {
		netplat_free(cq->ring);
		if (cq->cond)
			netplat_cond_free(cq->cond);
		netplat_free(cq);
		return -ENOMEM;
	}
	*out = cq;
	return 0;
}

int rdma_cq_destroy(struct rdma_cq *cq)
{
	if (cq->users)
		return -EBUSY;
	netplat_cond_free(cq->cond);
	netplat_free(cq->ring);
	netplat_free(cq);
	return 0;
}

/* Append a completion. The CQ is sized by its owner to hold every work
 * request of its QPs; an overflow is counted and the completion lost. */
void rdma_cq_push(struct rdma_cq *cq, const struct rdma_wc *wc)
{
	if (cq->count == cq->depth) {
		cq->overflows++;
		return;
	}
	cq->ring[(cq->head + cq->count++) % cq->depth] = *wc;
	netplat_cond_broadcast(cq->cond);
}

int rdma_cq_poll(struct rdma_cq *cq, struct rdma_wc *wc, int n)
{
	struct netplat_lock *lock = cq->dev->nif->lock;
	int got = 0;

	netplat_lock(lock);
	while (got < n && cq->count) {
		wc[got++] = cq->ring[cq->head];
		cq->head = (cq->head + 1) % cq->depth;
		cq->count--;
	}
	netplat_unlock(lock);
	return got;
}

int rdma_cq_wait(struct rdma_cq *cq, u64 deadline_ns)
{
	struct netplat_lock *lock = cq->dev->nif->lock;
	int err = 0;

	netplat_lock(lock);
	while (!cq->count && !err)
		err = netplat_cond_wait(cq->cond, lock, deadline_ns);
	if (cq->count)
		err = 0;
	netplat_unlock(lock);
	return err;
}
