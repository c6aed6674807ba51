/* CLOCK (second chance) eviction, an LRU approximation fed by the page
 * tables' accessed bits: the hand skips (and clears) ways used since it
 * last passed, and evicts the first way that was not. */
#include "processor/cache/excache.h"

static u32 clock_victim(struct excache *c, struct excache_set *set, struct excache_line *ways)
{
	for (u32 step = 0; step < 2 * c->ways; step++) {
		u32 w = set->hand;

		set->hand = (w + 1) % c->ways;
		if (!c->hooks->test_clear_accessed(c, &ways[w]))
			return w;
	}
	return set->hand; /* every way busy twice round: take the next */
}

static const struct excache_policy excache_policy_clock = { "clock", clock_victim };
EXCACHE_POLICY(excache_policy_clock);
