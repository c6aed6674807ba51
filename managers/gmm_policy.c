/*
 * GMM's placement policy, pure functions over a snapshot of the
 * registry (the caller holds registry->lock):
 *
 *   home   the alive mComponent with the fewest homes placed on it, then
 *          the most free RAM, then the lowest id;
 *   owner  of a new vRegion: the alive mComponent owning the fewest
 *          vRegions, then the most free RAM, then the lowest id; not_ip
 *          excludes one component (the primary, when picking a backup).
 *
 * Counts placed since registration stand in for load until the
 * mMonitors report vRegion counts in their heartbeats.
 */
#include "managers/mgr.h"

static bool usable(const struct mgr_comp *c, u32 not_ip)
{
	return c->role == MGR_ROLE_MEMORY && c->state == MGR_ALIVE &&
	       c->ip != not_ip;
}

/* Is a a better choice than b, given the count that matters for each? */
static bool better(const struct mgr_comp *a, u32 ka, const struct mgr_comp *b,
		   u32 kb)
{
	if (ka != kb)
		return ka < kb;
	if (a->ram_free != b->ram_free)
		return a->ram_free > b->ram_free;
	return a->id < b->id;
}

int gmm_pick_home(const struct mgr_comp *comps, u32 n)
{
	int best = -1;

	for (u32 i = 0; i < n; i++)
		if (usable(&comps[i], 0) &&
		    (best < 0 || better(&comps[i], comps[i].placed, &comps[best],
					comps[best].placed)))
			best = (int)i;
	return best;
}

int gmm_pick_owner(const struct mgr_comp *comps, u32 n, u32 not_ip)
{
	int best = -1;

	for (u32 i = 0; i < n; i++)
		if (usable(&comps[i], not_ip) &&
		    (best < 0 || better(&comps[i], comps[i].vregions,
					&comps[best], comps[best].vregions)))
			best = (int)i;
	return best;
}
