/* VMA sets: a sorted array of disjoint VMAs; see tessera/vmaset.h for the
 * representation and why. Not locked: the owner serializes. */
#include <tessera/errno.h>
#include <tessera/string.h>
#include <tessera/vmaset.h>

void vmaset_init(struct vmaset *s, void *(*alloc)(size_t size),
		 void (*free)(void *p))
{
	s->v = NULL;
	s->n = s->cap = 0;
	s->alloc = alloc;
	s->free = free;
}

void vmaset_destroy(struct vmaset *s)
{
	s->free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

/* Make room for extra more VMAs; 0 or -ENOMEM (the set is unchanged). */
static int vmaset_reserve(struct vmaset *s, u32 extra)
{
	u32 cap = s->cap ? s->cap : 8;
	struct vma *nv;

	if (s->n + extra <= s->cap)
		return 0;
	while (cap < s->n + extra)
		cap *= 2;
	nv = s->alloc(cap * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	if (s->n)
		memcpy(nv, s->v, s->n * sizeof(*nv));
	s->free(s->v);
	s->v = nv;
	s->cap = cap;
	return 0;
}

int vmaset_copy(struct vmaset *dst, const struct vmaset *src)
{
	if (vmaset_reserve(dst, src->n))
		return -ENOMEM;
	if (src->n)
		memcpy(dst->v, src->v, src->n * sizeof(*dst->v));
	dst->n = src->n;
	return 0;
}

u32 vmaset_first_after(const struct vmaset *s, u64 addr)
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

struct vma *vmaset_find(const struct vmaset *s, u64 addr)
{
	u32 i = vmaset_first_after(s, addr);

	if (i < s->n && s->v[i].start <= addr)
		return &s->v[i];
	return NULL;
}

bool vmaset_range_free(const struct vmaset *s, u64 start, u64 end)
{
	u32 i = vmaset_first_after(s, start);

	return i == s->n || s->v[i].start >= end;
}

bool vmaset_range_mapped(const struct vmaset *s, u64 start, u64 end)
{
	u32 i = vmaset_first_after(s, start);
	u64 at = start;

	for (; i < s->n && at < end; i++) {
		if (s->v[i].start > at)
			return false;
		at = s->v[i].end;
	}
	return at >= end;
}

/* b can extend a: they touch and agree, and a file-backed pair is one
 * contiguous extent of one file (all of a from the file, b's bytes at
 * the offsets that follow a's). */
static bool vma_mergeable(const struct vma *a, const struct vma *b)
{
	u64 alen = a->end - a->start;

	if (a->end != b->start || a->prot != b->prot || a->flags != b->flags)
		return false;
	if (!(a->flags & VMASET_FILE))
		return true;
	return a->file.ino == b->file.ino && a->file.gen == b->file.gen &&
	       a->off + alen == b->off && a->flen >= alen;
}

static void vmaset_delete(struct vmaset *s, u32 i, u32 count)
{
	memmove(&s->v[i], &s->v[i + count],
		(s->n - i - count) * sizeof(s->v[0]));
	s->n -= count;
}

/* Merge v[k + 1] into v[k]; they must be mergeable. */
static void vmaset_join(struct vmaset *s, u32 k)
{
	struct vma *a = &s->v[k], *b = &s->v[k + 1];

	if (a->flags & VMASET_FILE)
		a->flen = (a->end - a->start) + b->flen;
	a->end = b->end;
	vmaset_delete(s, k + 1, 1);
}

/* Merge compatible neighbours among v[lo..hi] (indices clamped). */
static void vmaset_merge_range(struct vmaset *s, u32 lo, u32 hi)
{
	u32 k = lo ? lo - 1 : 0;

	while (k + 1 < s->n && k <= hi) {
		if (vma_mergeable(&s->v[k], &s->v[k + 1])) {
			vmaset_join(s, k);
			hi--;
		} else {
			k++;
		}
	}
}

/* Split the VMA strictly containing addr into two; needs one free slot.
 * The right part's file extent starts where it does. */
static void vmaset_split_at(struct vmaset *s, u64 addr)
{
	u32 i = vmaset_first_after(s, addr);
	struct vma *v;
	u64 skip;

	if (i == s->n || s->v[i].start >= addr)
		return;
	memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(s->v[0]));
	s->n++;
	v = &s->v[i + 1];
	skip = addr - v->start;
	v->off += skip;
	v->flen = v->flen > skip ? v->flen - skip : 0;
	v->start = addr;
	s->v[i].end = addr;
}

/* Cut [start, end) out; needs two free slots. */
static void vmaset_cut(struct vmaset *s, u64 start, u64 end)
{
	u32 i, j;

	vmaset_split_at(s, start);
	vmaset_split_at(s, end);
	i = vmaset_first_after(s, start);
	for (j = i; j < s->n && s->v[j].end <= end; j++)
		;
	vmaset_delete(s, i, j - i);
}

int vmaset_insert(struct vmaset *s, const struct vma *v)
{
	bool clear = vmaset_range_free(s, v->start, v->end);
	u32 i;

	if (vmaset_reserve(s, clear ? 1 : 3))
		return -ENOMEM;
	if (!clear)
		vmaset_cut(s, v->start, v->end);
	i = vmaset_first_after(s, v->start);
	memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(s->v[0]));
	s->v[i] = *v;
	s->n++;
	vmaset_merge_range(s, i, i + 1);
	return 0;
}

int vmaset_remove(struct vmaset *s, u64 start, u64 end)
{
	if (vmaset_reserve(s, 2))
		return -ENOMEM;
	vmaset_cut(s, start, end);
	return 0;
}

int vmaset_protect(struct vmaset *s, u64 start, u64 end, u32 prot)
{
	u32 i, j;

	if (vmaset_reserve(s, 2))
		return -ENOMEM;
	vmaset_split_at(s, start);
	vmaset_split_at(s, end);
	i = vmaset_first_after(s, start);
	for (j = i; j < s->n && s->v[j].start < end; j++)
		s->v[j].prot = prot;
	vmaset_merge_range(s, i, j);
	return 0;
}

int vmaset_gap_topdown(const struct vmaset *s, u64 len, u64 lo, u64 hi,
		       u64 *addr)
{
	u32 k = vmaset_first_after(s, hi);
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

int vmaset_gap_bottomup(const struct vmaset *s, u64 len, u64 lo, u64 hi,
			u64 *addr)
{
	u32 k = vmaset_first_after(s, lo);
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
