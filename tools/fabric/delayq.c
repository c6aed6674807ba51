/*
 * Frames held back by latency or reordering. The pool of frame buffers is
 * allocated once at start; a min-heap of pool indices orders them by due
 * time, ties broken by arrival so that equal delays keep frame order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tools/fabric/fabric.h"

int fabric_delayq_init(struct fabric_delayq *q)
{
	q->pool = calloc(FABRIC_POOL, sizeof(*q->pool));
	if (!q->pool) {
		perror("fabric: delay pool");
		return -ENOMEM;
	}
	for (unsigned i = 0; i < FABRIC_POOL; i++)
		q->free[i] = FABRIC_POOL - 1 - i;
	q->nfree = FABRIC_POOL;
	return 0;
}

static bool before(const struct fabric_delayq *q, u32 a, u32 b)
{
	const struct fabric_pkt *x = &q->pool[a], *y = &q->pool[b];

	return x->due_ns < y->due_ns || (x->due_ns == y->due_ns && x->seq < y->seq);
}

static void swap(u32 *a, u32 *b)
{
	u32 t = *a;

	*a = *b;
	*b = t;
}

static void sift_up(struct fabric_delayq *q, unsigned i)
{
	while (i && before(q, q->heap[i], q->heap[(i - 1) / 2])) {
		swap(&q->heap[i], &q->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
}

static void sift_down(struct fabric_delayq *q, unsigned i)
{
	for (;;) {
		unsigned l = 2 * i + 1, r = l + 1, m = i;

		if (l < q->nheap && before(q, q->heap[l], q->heap[m]))
			m = l;
		if (r < q->nheap && before(q, q->heap[r], q->heap[m]))
			m = r;
		if (m == i)
			return;
		swap(&q->heap[i], &q->heap[m]);
		i = m;
	}
}

int fabric_delayq_push(struct fabric_delayq *q, u64 due, unsigned p,
		       const u8 *frame, size_t len)
{
	struct fabric_pkt *pkt;
	u32 i;

	if (!q->nfree)
		return -ENOSPC;
	i = q->free[--q->nfree];
	pkt = &q->pool[i];
	pkt->due_ns = due;
	pkt->seq = q->seq++;
	pkt->port = (u16)p;
	pkt->len = (u32)len;
	memcpy(pkt->data, frame, len);
	q->heap[q->nheap++] = i;
	sift_up(q, q->nheap - 1);
	return 0;
}

u64 fabric_delayq_run(struct fabric_delayq *q, u64 now)
{
	while (q->nheap) {
		u32 i = q->heap[0];
		struct fabric_pkt *pkt = &q->pool[i];

		if (pkt->due_ns > now)
			return pkt->due_ns;
		q->heap[0] = q->heap[--q->nheap];
		sift_down(q, 0);
		fabric_port_send(pkt->port, pkt->data, pkt->len);
		q->free[q->nfree++] = i;
	}
	return 0;
}
