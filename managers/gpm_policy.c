/*
 * GPM's process placement: the least loaded alive pComponent, where load
 * is the processes it reported plus those placed on it since, per core;
 * ties go to the lowest id. Pure; the caller holds registry->lock.
 */
#include "managers/mgr.h"

/* a->load / a->cores < b->load / b->cores, without division. */
static bool lighter(const struct mgr_comp *a, const struct mgr_comp *b)
{
	u64 la = (u64)(a->load + a->placed) * (b->cores ? b->cores : 1);
	u64 lb = (u64)(b->load + b->placed) * (a->cores ? a->cores : 1);

	return la != lb ? la < lb : a->id < b->id;
}

int gpm_pick_processor(const struct mgr_comp *comps, u32 n)
{
	int best = -1;

	for (u32 i = 0; i < n; i++)
		if (comps[i].role == MGR_ROLE_PROCESSOR &&
		    comps[i].state == MGR_ALIVE &&
		    (best < 0 || lighter(&comps[i], &comps[best])))
			best = (int)i;
	return best;
}
