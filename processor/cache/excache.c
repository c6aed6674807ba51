/* ExCache bookkeeping: sets, ways, victims; see excache.h. */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "processor/cache/excache.h"

size_t excache_meta_size(u32 nframes, u32 ways)
{
	u32 nsets = ways ? nframes / ways : 0;

	return nsets * sizeof(struct excache_set) + nsets * ways * sizeof(struct excache_line);
}

int excache_init(struct excache *c, u32 nframes, u32 ways, void *meta,
		 const struct excache_policy *policy, const struct excache_hooks *hooks)
{
	if (!ways || nframes < ways || !policy || !hooks)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	c->ways = ways;
	c->nsets = nframes / ways;
	c->sets = meta;
	c->lines = (struct excache_line *)(c->sets + c->nsets);
	c->policy = policy;
	c->hooks = hooks;
	spin_init(&c->limit_lock, "excache_limit", LOCK_RANK_EXCACHE_LIMIT);
	for (u32 s = 0; s < c->nsets; s++) {
		mutex_init(&c->sets[s].lock, "excache_set", LOCK_RANK_EXCACHE_SET);
		c->sets[s].hand = 0;
	}
	for (u32 i = 0; i < c->nsets * ways; i++) {
		memset(&c->lines[i], 0, sizeof(c->lines[i]));
		c->lines[i].frame = i;
		c->lines[i].state = LINE_FREE;
	}
	return 0;
}

u32 excache_set_of(struct excache *c, u64 space, u64 vaddr)
{
	u64 h = (vaddr / EXCACHE_LINE) + space * 0x9E3779B97F4A7C15ull;

	return (u32)(h % excache_space_sets(c, space));
}

static struct excache_line *excache_ways(struct excache *c, u32 set)
{
	return &c->lines[(u64)set * c->ways];
}

static void excache_count(u64 *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

/* Copy the protected dirty line l into cv for the caller to store. */
static void excache_carry(struct excache *c, struct excache_line *l, struct excache_carry *cv)
{
	memcpy(cv->buf, c->hooks->frame_data(c, l->frame), EXCACHE_LINE);
	cv->vaddr = l->vaddr;
	cv->taken = true;
	excache_count(&c->stats.carried);
}

/* Send the protected dirty line l to its owner; on failure l is mapped
 * as before (saved). Set lock held. */
static int excache_write_back(struct excache *c, struct excache_line *l, u32 saved)
{
	int err = c->hooks->writeback(c, l, c->hooks->frame_data(c, l->frame));

	if (err) {
		c->hooks->restore(c, l, saved);
		return err;
	}
	excache_count(&c->stats.writebacks);
	return 0;
}

/* Make the valid line l of a locked set ready to unmap: write-protect it
 * and, if it was dirty, carry it in cv (if given) or write it back.
 * 0 (*wrote: it was dirty), or the write-back's error with l mapped as
 * before. */
static int excache_clean(struct excache *c, struct excache_line *l, bool *wrote,
			 struct excache_carry *cv)
{
	u32 saved;

	*wrote = c->hooks->protect(c, l, &saved);
	if (!*wrote)
		return 0;
	if (cv) {
		excache_carry(c, l, cv);
		return 0;
	}
	return excache_write_back(c, l, saved);
}

/* Evict the valid line l: protect, carry or write back if dirty, unmap.
 * Set lock held. */
static int excache_evict(struct excache *c, struct excache_line *l, struct excache_carry *cv)
{
	bool wrote;
	int err = excache_clean(c, l, &wrote, cv);

	if (err)
		return err;
	if (!wrote)
		excache_count(&c->stats.clean_drops);
	c->hooks->unmap(c, l);
	l->state = LINE_FREE;
	excache_count(&c->stats.evictions);
	if (c->hooks->evicted)
		c->hooks->evicted(c, l);
	return 0;
}

/* A way for a new line of space in a locked set: a free one, else the
 * victim (carried in cv if it is space's own). */
static int excache_pick(struct excache *c, struct excache_set *set, struct excache_line *ways,
			u64 space, struct excache_carry *cv, struct excache_line **out)
{
	u32 v;
	int err;

	for (u32 w = 0; w < c->ways; w++)
		if (ways[w].state == LINE_FREE) {
			*out = &ways[w];
			return 0;
		}
	v = c->policy->victim(c, set, ways);
	if (!cv || !cv->buf || ways[v].space != space)
		cv = NULL;
	err = excache_evict(c, &ways[v], cv);
	if (err)
		return err;
	*out = &ways[v];
	return 0;
}

int excache_get_way(struct excache *c, u64 space, u64 vaddr, struct excache_line **line,
		    struct excache_carry *cv)
{
	u32 s = excache_set_of(c, space, vaddr);
	struct excache_set *set = &c->sets[s];
	struct excache_line *ways = excache_ways(c, s);
	int err;

	mutex_lock(&set->lock);
	for (u32 w = 0; w < c->ways; w++)
		if (ways[w].state == LINE_VALID && ways[w].space == space &&
		    ways[w].vaddr == vaddr) {
			excache_count(&c->stats.soft_hits);
			*line = &ways[w];
			mutex_unlock(&set->lock);
			return 1;
		}
	if (cv)
		cv->taken = false;
	err = excache_pick(c, set, ways, space, cv, line);
	if (err) {
		mutex_unlock(&set->lock);
		return err;
	}
	(*line)->space = space;
	(*line)->vaddr = vaddr;
	(*line)->state = LINE_FILLING;
	return 0;
}

static struct excache_set *excache_set_of_line(struct excache *c, struct excache_line *l)
{
	return &c->sets[(u32)((l - c->lines) / c->ways)];
}

void excache_commit(struct excache *c, struct excache_line *line, bool zero_fill)
{
	line->state = LINE_VALID;
	excache_count(&c->stats.misses);
	if (zero_fill)
		excache_count(&c->stats.zero_fills);
	mutex_unlock(&excache_set_of_line(c, line)->lock);
}

void excache_abort(struct excache *c, struct excache_line *line)
{
	line->state = LINE_FREE;
	mutex_unlock(&excache_set_of_line(c, line)->lock);
}

u32 excache_lines_of(struct excache *c, u64 space)
{
	u32 n = 0;

	for (u32 i = 0; i < c->nsets * c->ways; i++)
		n += c->lines[i].state == LINE_VALID && c->lines[i].space == space;
	return n;
}

void excache_drop_space(struct excache *c, u64 space)
{
	for (u32 s = 0; s < c->nsets; s++) {
		struct excache_line *ways = excache_ways(c, s);

		mutex_lock(&c->sets[s].lock);
		for (u32 w = 0; w < c->ways; w++)
			if (ways[w].state == LINE_VALID && ways[w].space == space) {
				c->hooks->unmap(c, &ways[w]);
				ways[w].state = LINE_FREE;
			}
		mutex_unlock(&c->sets[s].lock);
	}
}

/* Write the valid line l of a locked set back if it is dirty, keeping it
 * cached and clean. */
static int excache_flush_line(struct excache *c, struct excache_line *l)
{
	u32 saved;
	int err;

	if (!c->hooks->protect(c, l, &saved)) {
		c->hooks->restore(c, l, saved);
		return 0;
	}
	err = excache_write_back(c, l, saved);
	if (!err)
		c->hooks->reopen(c, l, saved);
	return err;
}

int excache_flush_space(struct excache *c, u64 space)
{
	int err = 0;

	for (u32 s = 0; s < c->nsets && !err; s++) {
		struct excache_line *ways = excache_ways(c, s);

		mutex_lock(&c->sets[s].lock);
		for (u32 w = 0; w < c->ways && !err; w++)
			if (ways[w].state == LINE_VALID && ways[w].space == space)
				err = excache_flush_line(c, &ways[w]);
		mutex_unlock(&c->sets[s].lock);
	}
	return err;
}

extern const struct excache_policy *const __start_excache_policies[],
	*const __stop_excache_policies[];

const struct excache_policy *excache_policy_find(const char *name)
{
	for (const struct excache_policy *const *p = __start_excache_policies;
	     p < __stop_excache_policies; p++)
		if (!strcmp(name, (*p)->name))
			return *p;
	return NULL;
}

/* Drop the valid line l of a locked set, writing it back first if asked
 * and dirty. */
static int excache_drop_locked(struct excache *c, struct excache_line *l, bool writeback)
{
	bool wrote;
	int err = writeback ? excache_clean(c, l, &wrote, NULL) : 0;

	if (err)
		return err;
	c->hooks->unmap(c, l);
	l->state = LINE_FREE;
	return 0;
}

/* Drop the lines of set s that belong to space and lie in [start, end). */
static int excache_drop_in_set(struct excache *c, u32 s, u64 space, u64 start, u64 end,
			       bool writeback)
{
	struct excache_line *ways = excache_ways(c, s);
	int err = 0;

	mutex_lock(&c->sets[s].lock);
	for (u32 w = 0; w < c->ways && !err; w++)
		if (ways[w].state == LINE_VALID && ways[w].space == space &&
		    ways[w].vaddr >= start && ways[w].vaddr < end)
			err = excache_drop_locked(c, &ways[w], writeback);
	mutex_unlock(&c->sets[s].lock);
	return err;
}

int excache_drop_range(struct excache *c, u64 space, u64 start, u64 end, bool writeback)
{
	u64 pages = (end - start) / EXCACHE_LINE;
	int err = 0;

	if (pages >= c->nsets) {
		for (u32 s = 0; s < c->nsets && !err; s++)
			err = excache_drop_in_set(c, s, space, start, end, writeback);
		return err;
	}
	for (u64 va = start; va < end && !err; va += EXCACHE_LINE)
		err = excache_drop_in_set(c, excache_set_of(c, space, va), space, va,
					  va + EXCACHE_LINE, writeback);
	return err;
}
