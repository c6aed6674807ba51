/*
 * VMA sets as sorted arrays (pvma.h). Processes have tens of VMAs, so
 * every change rebuilds the array: simple and obviously correct. Not
 * locked; see pvma.h.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/string.h>

#include "processor/pvma.h"

void pvma_init(struct pvma_set *s)
{
	s->v = NULL;
	s->n = s->cap = 0;
}

void pvma_free(struct pvma_set *s)
{
	kfree(s->v);
	pvma_init(s);
}

const struct pvma *pvma_find(const struct pvma_set *s, u64 addr)
{
	for (u32 i = 0; i < s->n && s->v[i].start <= addr; i++)
		if (addr < s->v[i].end)
			return &s->v[i];
	return NULL;
}

bool pvma_is_free(const struct pvma_set *s, u64 start, u64 end)
{
	for (u32 i = 0; i < s->n; i++)
		if (s->v[i].start < end && start < s->v[i].end)
			return false;
	return true;
}

bool pvma_covers(const struct pvma_set *s, u64 start, u64 end)
{
	u64 at = start;

	for (u32 i = 0; i < s->n && at < end; i++)
		if (s->v[i].start <= at && at < s->v[i].end)
			at = s->v[i].end;
	return at >= end;
}

u64 pvma_gap_below(const struct pvma_set *s, u64 len, u64 bottom, u64 top)
{
	u64 hi = top;

	for (u32 i = s->n; i-- > 0;) {
		if (s->v[i].start >= hi)
			continue;
		if (s->v[i].end <= hi && hi - s->v[i].end >= len && hi - len >= bottom)
			return hi - len;
		hi = MIN(hi, s->v[i].start);
	}
	return hi >= bottom + len ? hi - len : 0;
}

/* The part of v inside [start, end) (which must overlap it). */
static struct pvma pvma_clip(const struct pvma *v, u64 start, u64 end)
{
	struct pvma c = *v;
	u64 skip;

	c.start = MAX(v->start, start);
	c.end = MIN(v->end, end);
	skip = c.start - v->start;
	c.off += skip;
	c.flen = v->flen > skip ? v->flen - skip : 0;
	return c;
}

static int pvma_reserve(struct pvma_set *s, u32 want)
{
	struct pvma *nv;
	u32 cap = s->cap ? s->cap : 8;

	if (want <= s->cap)
		return 0;
	while (cap < want)
		cap *= 2;
	nv = kmalloc(cap * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	if (s->n)
		memcpy(nv, s->v, s->n * sizeof(*nv));
	kfree(s->v);
	s->v = nv;
	s->cap = cap;
	return 0;
}

/* Put v into s at its sorted place; room must be reserved. */
static void pvma_put(struct pvma_set *s, const struct pvma *v)
{
	u32 j = 0;

	while (j < s->n && s->v[j].start < v->start)
		j++;
	memmove(&s->v[j + 1], &s->v[j], (s->n - j) * sizeof(*v));
	s->v[j] = *v;
	s->n++;
}

/* Rebuild s with [start, end) cut out, keeping room for extra more. */
static int pvma_cut(struct pvma_set *s, u64 start, u64 end, u32 extra)
{
	struct pvma *old = s->v;
	u32 n = s->n, oldcap = s->cap;
	int err;

	s->v = NULL;
	s->n = s->cap = 0;
	err = pvma_reserve(s, n + 1 + extra);
	if (err) {
		s->v = old;
		s->n = n;
		s->cap = oldcap;
		return err;
	}
	for (u32 i = 0; i < n; i++) {
		if (old[i].start < start)
			s->v[s->n++] = pvma_clip(&old[i], old[i].start, MIN(old[i].end, start));
		if (old[i].end > end)
			s->v[s->n++] = pvma_clip(&old[i], MAX(old[i].start, end), old[i].end);
	}
	kfree(old);
	return 0;
}

int pvma_insert(struct pvma_set *s, const struct pvma *v)
{
	int err = pvma_cut(s, v->start, v->end, 1);

	if (!err)
		pvma_put(s, v);
	return err;
}

int pvma_remove(struct pvma_set *s, u64 start, u64 end)
{
	return pvma_cut(s, start, end, 0);
}

int pvma_protect(struct pvma_set *s, u64 start, u64 end, u32 prot)
{
	struct pvma *in = kmalloc((s->n + 1) * sizeof(*in));
	u32 k = 0;
	int err;

	if (!in)
		return -ENOMEM;
	for (u32 i = 0; i < s->n; i++)
		if (s->v[i].start < end && start < s->v[i].end) {
			in[k] = pvma_clip(&s->v[i], start, end);
			in[k++].prot = prot;
		}
	err = pvma_cut(s, start, end, k);
	for (u32 i = 0; i < k && !err; i++)
		pvma_put(s, &in[i]);
	kfree(in);
	return err;
}
