/*
 * GSM's storage assignment: the alive sComponent holding the fewest
 * vNodes, then the largest disk, then the lowest id. Pure; the caller
 * holds registry->lock.
 */
#include "managers/mgr.h"

static bool better(const struct mgr_comp *a, const struct mgr_comp *b)
{
	if (a->placed != b->placed)
		return a->placed < b->placed;
	if (a->disk_bytes != b->disk_bytes)
		return a->disk_bytes > b->disk_bytes;
	return a->id < b->id;
}

int gsm_pick_storage(const struct mgr_comp *comps, u32 n)
{
	int best = -1;

	for (u32 i = 0; i < n; i++)
		if (comps[i].role == MGR_ROLE_STORAGE &&
		    comps[i].state == MGR_ALIVE &&
		    (best < 0 || better(&comps[i], &comps[best])))
			best = (int)i;
	return best;
}
