/*
 * Per-space caps on the ExCache (tessera run --excache): a capped space's
 * lines hash into the first few sets only, so it never holds more than
 * those sets' ways. limit_lock guards limits[]; a cap is set before the
 * space has any line and removed after its lines are dropped, so the set
 * a line maps to never changes while it is cached.
 */
#include <tessera/errno.h>

#include "processor/cache/excache.h"

u32 excache_space_sets(struct excache *c, u64 space)
{
	u32 n = c->nsets;

	spin_lock(&c->limit_lock);
	for (u32 i = 0; i < EXCACHE_LIMITS; i++)
		if (c->limits[i].nsets && c->limits[i].space == space)
			n = c->limits[i].nsets;
	spin_unlock(&c->limit_lock);
	return n;
}

void excache_unlimit_space(struct excache *c, u64 space)
{
	spin_lock(&c->limit_lock);
	for (u32 i = 0; i < EXCACHE_LIMITS; i++)
		if (c->limits[i].nsets && c->limits[i].space == space)
			c->limits[i].nsets = 0;
	spin_unlock(&c->limit_lock);
}

int excache_limit_space(struct excache *c, u64 space, u64 bytes)
{
	u64 sets = bytes / ((u64)EXCACHE_LINE * c->ways);
	int err = -ENOSPC;

	excache_unlimit_space(c, space);
	if (sets >= c->nsets)
		return 0;
	spin_lock(&c->limit_lock);
	for (u32 i = 0; i < EXCACHE_LIMITS && err; i++)
		if (!c->limits[i].nsets) {
			c->limits[i].space = space;
			c->limits[i].nsets = (u32)MAX(sets, 1);
			err = 0;
		}
	spin_unlock(&c->limit_lock);
	return err;
}

u64 excache_space_bytes(struct excache *c, u64 space)
{
	return (u64)excache_space_sets(c, space) * c->ways * EXCACHE_LINE;
}
