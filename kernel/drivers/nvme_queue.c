/*
 * NVMe queue pairs: a submission ring we write and the device reads, a
 * completion ring the device writes and we read. A completion entry is
 * new when its phase bit equals the phase we expect; the expected phase
 * flips each time our head wraps. The device reports how far it has read
 * the submission ring in every completion (sqhd), which is what frees
 * submission slots.
 *
 * A command holds a command id (its index in reqs[]) from submission until
 * its completion is reaped. An abandoned command (its submitter stopped
 * waiting) keeps its id, pointing at nvme_lost, so that a late completion
 * finds no stale request and the id is not reused before the device is
 * done with it.
 *
 * Locking: q->lock guards the ring indices, reqs[] and inflight, both for
 * submitters and for reapers (interrupt handlers included). A request's
 * done flag is written with release order under the lock and read with
 * acquire order by its owner without it.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/printk.h>
#include <tessera/string.h>
#include <tessera/time.h>

#include "kernel/drivers/nvme_priv.h"

#define NVME_POLL_US 5

static struct nvme_req nvme_lost;

int nvme_q_init(struct nvme_queue *q, const struct nvme_hw *hw, u16 qid,
		u16 depth, u32 dstrd)
{
	memset(q, 0, sizeof(*q));
	spin_init(&q->lock, "nvme_q", LOCK_RANK_NVME_Q);
	q->hw = hw;
	q->qid = qid;
	q->depth = MIN(depth, (u16)NVME_QUEUE_MAX);
	q->sq_db = NVME_REG_DOORBELLS + (2u * qid) * (4u << dstrd);
	q->cq_db = NVME_REG_DOORBELLS + (2u * qid + 1) * (4u << dstrd);
	q->cq_phase = 1;
	q->sq = kmem_pages_alloc(0);
	q->cq = kmem_pages_alloc(0);
	if (!q->sq || !q->cq) {
		nvme_q_free(q);
		return -ENOMEM;
	}
	memset(q->sq, 0, NVME_PAGE);
	memset((void *)q->cq, 0, NVME_PAGE);
	return 0;
}

void nvme_q_free(struct nvme_queue *q)
{
	if (q->sq)
		kmem_pages_free(q->sq, 0);
	if (q->cq)
		kmem_pages_free((void *)q->cq, 0);
	q->sq = NULL;
	q->cq = NULL;
}

static bool nvme_q_full(const struct nvme_queue *q)
{
	return (u16)((q->sq_tail + 1) % q->depth) == q->sq_head ||
	       q->inflight >= q->depth - 1;
}

bool nvme_q_has_room(struct nvme_queue *q)
{
	bool room;

	spin_lock(&q->lock);
	room = !nvme_q_full(q);
	spin_unlock(&q->lock);
	return room;
}

/* A free command id; the caller checked that one exists. */
static u16 nvme_q_take_cid(struct nvme_queue *q, struct nvme_req *req)
{
	u16 cid = q->next_cid;

	while (q->reqs[cid])
		cid = (cid + 1) % q->depth;
	q->next_cid = (cid + 1) % q->depth;
	q->reqs[cid] = req;
	q->inflight++;
	return cid;
}

int nvme_q_submit(struct nvme_queue *q, struct nvme_req *req)
{
	spin_lock(&q->lock);
	if (nvme_q_full(q)) {
		spin_unlock(&q->lock);
		return -EAGAIN;
	}
	req->done = false;
	req->cid = nvme_q_take_cid(q, req);
	req->cmd.cid = req->cid;
	q->sq[q->sq_tail] = req->cmd;
	q->sq_tail = (q->sq_tail + 1) % q->depth;
	/* The entry must be in memory before the device hears of it. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	q->hw->write32(q->hw->ctx, q->sq_db, q->sq_tail);
	spin_unlock(&q->lock);
	return 0;
}

/* Hand one completion to its request. Caller holds q->lock. */
static void nvme_q_complete(struct nvme_queue *q, u16 cid, u16 status, u32 dw0)
{
	struct nvme_req *req = cid < q->depth ? q->reqs[cid] : NULL;

	if (!req) {
		pr_warn("nvme q%u: completion for cid %u, which is not in flight; ignored\n",
			q->qid, cid);
		return;
	}
	q->reqs[cid] = NULL;
	q->inflight--;
	if (req == &nvme_lost)
		return;
	req->status = status;
	req->dw0 = dw0;
	__atomic_store_n(&req->done, true, __ATOMIC_RELEASE);
}

int nvme_q_reap(struct nvme_queue *q)
{
	int n = 0;

	spin_lock(&q->lock);
	for (;;) {
		volatile struct nvme_cqe *e = &q->cq[q->cq_head];
		u16 st = e->status;

		if ((st & 1) != q->cq_phase)
			break;
		/* Read the rest of the entry only after its phase. */
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (e->sqhd < q->depth)
			q->sq_head = e->sqhd;
		nvme_q_complete(q, e->cid, st >> 1, e->dw0);
		if (++q->cq_head == q->depth) {
			q->cq_head = 0;
			q->cq_phase ^= 1;
		}
		n++;
	}
	if (n) {
		q->completions += n;
		q->hw->write32(q->hw->ctx, q->cq_db, q->cq_head);
	}
	spin_unlock(&q->lock);
	return n;
}

void nvme_q_abandon(struct nvme_queue *q, struct nvme_req *req)
{
	spin_lock(&q->lock);
	if (!__atomic_load_n(&req->done, __ATOMIC_ACQUIRE) && q->reqs[req->cid] == req)
		q->reqs[req->cid] = &nvme_lost;
	spin_unlock(&q->lock);
}

int nvme_q_poll(struct nvme_queue *q, struct nvme_req *req, u64 timeout_ns)
{
	u64 deadline = time_ns() + timeout_ns;

	for (;;) {
		nvme_q_reap(q);
		if (__atomic_load_n(&req->done, __ATOMIC_ACQUIRE))
			return 0;
		if (time_ns() >= deadline)
			break;
		time_delay_us(NVME_POLL_US);
	}
	nvme_q_abandon(q, req);
	return __atomic_load_n(&req->done, __ATOMIC_ACQUIRE) ? 0 : -ETIMEDOUT;
}
