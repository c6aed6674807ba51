/* VMA sets: a sorted array of disjoint VMAs; see memory/vma.h for the
 * representation and why. Not thread-safe: callers serialize. */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "memory/vma.h"

void vma_set_init(struct vma_set *s, const struct mem_alloc *a)
{
	s->v = NULL;
	s->n = s->cap = 0;
	s->alloc = a;
}

void vma_set_destroy(struct vma_set *s)
{
	s->alloc->free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

/* Make room for extra more VMAs; 0 or -ENOMEM (the set is unchanged). */
static int vma_reserve(struct vma_set *s, u32 extra)
{
	u32 cap = s->cap ? s->cap : 8;
	struct vma *nv;

	if (s->n + extra <= s->cap)
		return 0;
	while (cap < s->n + extra)
		cap *= 2;
	nv = s->alloc->alloc(cap * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	if (s->n)
		memcpy(nv, s->v, s->n * sizeof(*nv));
	s->alloc->free(s->v);
	s->v = nv;
	s->cap = cap;
	return 0;
}

u32 vma_first_after(const struct vma_set *s, u64 addr)
{
	u32 lo = 0, hi = s->n;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (s->v[mid].end > addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

struct vma *vma_find(const struct vma_set *s, u64 addr)
{
	u32 i = vma_first_after(s, addr);

	if (i < s->n && s->v[i].start <= addr)
		return &s->v[i];
	return NULL;
}

bool vma_range_free(const struct vma_set *s, u64 start, u64 end)
{
	u32 i = vma_first_after(s, start);

	return i == s->n || s->v[i].start >= end;
}

bool vma_range_mapped(const struct vma_set *s, u64 start, u64 end)
{
	u32 i = vma_first_after(s, start);
	u64 at = start;

	for (; i < s->n && at < end; i++) {
		if (s->v[i].start > at)
			return false;
		at = s->v[i].end;
	}
	return at >= end;
}

static bool vma_mergeable(const struct vma *a, const struct vma *b)
{
	if (a->end != b->start || a->prot != b->prot || a->flags != b->flags)
		return false;
	if (!(a->flags & MEM_VMA_FILE))
		return true;
	return a->file.ino == b->file.ino && a->file.gen == b->file.gen &&
	       a->off + (a->end - a->start) == b->off;
}

static void vma_delete(struct vma_set *s, u32 i, u32 count)
{
	memmove(&s->v[i], &s->v[i + count],
		(s->n - i - count) * sizeof(s->v[0]));
	s->n -= count;
}

/* Merge compatible neighbours among v[lo..hi] (indices clamped). */
static void vma_merge_range(struct vma_set *s, u32 lo, u32 hi)
{
	u32 k = lo ? lo - 1 : 0;

	while (k + 1 < s->n && k <= hi) {
		if (vma_mergeable(&s->v[k], &s->v[k + 1])) {
			s->v[k].end = s->v[k + 1].end;
			vma_delete(s, k + 1, 1);
			hi--;
		} else {
			k++;
		}
	}
}

/* Split the VMA strictly containing addr into two; needs one free slot. */
static void vma_split_at(struct vma_set *s, u64 addr)
{
	u32 i = vma_first_after(s, addr);
	struct vma *v;

	if (i == s->n || s->v[i].start >= addr)
		return;
	memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(s->v[0]));
	s->n++;
	v = &s->v[i + 1];
	v->off += addr - v->start;
	v->start = addr;
	s->v[i].end = addr;
}

int vma_insert(struct vma_set *s, const struct vma *v)
{
	u32 i;

	if (vma_reserve(s, 1))
		return -ENOMEM;
	i = vma_first_after(s, v->start);
	memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(s->v[0]));
	s->v[i] = *v;
	s->n++;
	vma_merge_range(s, i, i + 1);
	return 0;
}

int vma_remove(struct vma_set *s, u64 start, u64 end)
{
	u32 i, j;

	if (vma_reserve(s, 2))
		return -ENOMEM;
	vma_split_at(s, start);
	vma_split_at(s, end);
	i = vma_first_after(s, start);
	for (j = i; j < s->n && s->v[j].end <= end; j++)
		;
	vma_delete(s, i, j - i);
	return 0;
}

int vma_protect(struct vma_set *s, u64 start, u64 end, u32 prot)
{
	u32 i, j;

	if (vma_reserve(s, 2))
		return -ENOMEM;
	vma_split_at(s, start);
	vma_split_at(s, end);
	i = vma_first_after(s, start);
	for (j = i; j < s->n && s->v[j].start < end; j++)
		s->v[j].prot = prot;
	vma_merge_range(s, i, j);
	return 0;
}

int vma_gap_topdown(const struct vma_set *s, u64 len, u64 lo, u64 hi,
		    u64 *addr)
{
	u32 k = vma_first_after(s, hi);
	u64 top = hi;

	if (k < s->n && s->v[k].start < hi)
		top = s->v[k].start;
	while (k-- > 0 && top > lo) {
		u64 gstart = MAX(s->v[k].end, lo);

		if (top > gstart && top - gstart >= len)
			goto found;
		top = MIN(top, s->v[k].start);
	}
	if (top > lo && top - lo >= len)
		goto found;
	return -ENOMEM;
found:
	*addr = top - len;
	return 0;
}

int vma_gap_bottomup(const struct vma_set *s, u64 len, u64 lo, u64 hi,
		     u64 *addr)
{
	u32 k = vma_first_after(s, lo);
	u64 start = lo;

	for (; k < s->n && start < hi; k++) {
		u64 gend = MIN(s->v[k].start, hi);

		if (gend > start && gend - start >= len)
			goto found;
		start = MAX(start, s->v[k].end);
	}
	if (start < hi && hi - start >= len)
		goto found;
	return -ENOMEM;
found:
	*addr = start;
	return 0;
}
