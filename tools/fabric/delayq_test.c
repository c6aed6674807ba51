/*
 * Host unit tests of the fabric's delay queue: frames leave in due-time
 * order, equal due times keep arrival order, a full pool refuses frames.
 * fabric_port_send() is replaced by a recorder.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <tessera/ktest.h>

#include "tools/fabric/fabric.h"

static unsigned sent_port[FABRIC_POOL + 1];
static u8 sent_tag[FABRIC_POOL + 1];
static unsigned nsent;

void fabric_port_send(unsigned p, const u8 *frame, size_t len)
{
	sent_port[nsent] = p;
	sent_tag[nsent++] = frame[0];
}

static struct fabric_delayq *fresh(void)
{
	static struct fabric_delayq q;

	free(q.pool);
	memset(&q, 0, sizeof(q));
	nsent = 0;
	return fabric_delayq_init(&q) == 0 ? &q : NULL;
}

KTEST(fabric_delayq, due_order)
{
	struct fabric_delayq *q = fresh();
	u8 f[FABRIC_MIN_FRAME] = { 0 };
	static const u64 due[] = { 50, 10, 40, 20, 30 };

	KT_ASSERT(t, q);
	for (unsigned i = 0; i < ARRAY_SIZE(due); i++) {
		f[0] = (u8)due[i];
		KT_EXPECT_EQ(t, fabric_delayq_push(q, due[i], i, f, sizeof(f)), 0);
	}
	KT_EXPECT_EQ(t, fabric_delayq_run(q, 25), 30);
	KT_EXPECT_EQ(t, nsent, 2);
	KT_EXPECT_EQ(t, fabric_delayq_run(q, 100), 0);
	KT_EXPECT_EQ(t, nsent, 5);
	for (unsigned i = 0; i < 5; i++)
		KT_EXPECT_EQ(t, sent_tag[i], 10 * (i + 1));
	KT_EXPECT_EQ(t, sent_port[0], 1);
}

KTEST(fabric_delayq, equal_due_keeps_arrival_order)
{
	struct fabric_delayq *q = fresh();
	u8 f[FABRIC_MIN_FRAME] = { 0 };

	KT_ASSERT(t, q);
	for (unsigned i = 0; i < 200; i++) {
		f[0] = (u8)i;
		fabric_delayq_push(q, 1000, 0, f, sizeof(f));
	}
	fabric_delayq_run(q, 1000);
	KT_EXPECT_EQ(t, nsent, 200);
	for (unsigned i = 0; i < 200; i++)
		KT_ASSERT(t, sent_tag[i] == (u8)i);
}

KTEST(fabric_delayq, full_pool_refuses)
{
	struct fabric_delayq *q = fresh();
	u8 f[FABRIC_MIN_FRAME] = { 0 };

	KT_ASSERT(t, q);
	for (unsigned i = 0; i < FABRIC_POOL; i++)
		KT_ASSERT(t, fabric_delayq_push(q, i, 0, f, sizeof(f)) == 0);
	KT_EXPECT_EQ(t, fabric_delayq_push(q, 5, 0, f, sizeof(f)), -ENOSPC);
	fabric_delayq_run(q, FABRIC_POOL);
	KT_EXPECT_EQ(t, nsent, FABRIC_POOL);
	KT_EXPECT_EQ(t, fabric_delayq_push(q, 5, 0, f, sizeof(f)), 0);
}
