/* FIFO eviction: ways are reused in the order they were filled. With every
 * way of a full set valid, filling order is round robin, so a per-set hand
 * that advances on each eviction is exactly FIFO. */
#include "processor/cache/excache.h"

static u32 fifo_victim(struct excache *c, struct excache_set *set, struct excache_line *ways)
{
	u32 v = set->hand;

	set->hand = (v + 1) % c->ways;
	return v;
}

static const struct excache_policy excache_policy_fifo = { "fifo", fifo_victim };
EXCACHE_POLICY(excache_policy_fifo);
