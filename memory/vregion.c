/* The per-process vRegion owner map of a home; see memory/vregion.h. */
#include <tessera/errno.h>
#include <tessera/string.h>
#include <tessera/wire/mem.h>

#include "memory/vregion.h"

void vregion_map_init(struct vregion_map *m, const struct mem_alloc *a)
{
	m->e = NULL;
	m->n = m->cap = 0;
	m->alloc = a;
}

void vregion_map_destroy(struct vregion_map *m)
{
	m->alloc->free(m->e);
	m->e = NULL;
	m->n = m->cap = 0;
}

u32 vregion_first_from(const struct vregion_map *m, u64 idx)
{
	u32 lo = 0, hi = m->n;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (m->e[mid].idx >= idx)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

struct vregion_owner *vregion_lookup(const struct vregion_map *m, u64 idx)
{
	u32 i = vregion_first_from(m, idx);

	return i < m->n && m->e[i].idx == idx ? &m->e[i] : NULL;
}

static int vregion_reserve(struct vregion_map *m)
{
	u32 cap = m->cap ? m->cap * 2 : 8;
	struct vregion_owner *ne;

	if (m->n < m->cap)
		return 0;
	ne = m->alloc->alloc(cap * sizeof(*ne));
	if (!ne)
		return -ENOMEM;
	if (m->n)
		memcpy(ne, m->e, m->n * sizeof(*ne));
	m->alloc->free(m->e);
	m->e = ne;
	m->cap = cap;
	return 0;
}

int vregion_map_copy(struct vregion_map *dst, const struct vregion_map *src)
{
	if (!src->n)
		return 0;
	dst->e = dst->alloc->alloc(src->n * sizeof(*dst->e));
	if (!dst->e)
		return -ENOMEM;
	memcpy(dst->e, src->e, src->n * sizeof(*dst->e));
	dst->n = dst->cap = src->n;
	return 0;
}

int vregion_add(struct vregion_map *m, u64 idx, u32 owner)
{
	u32 i;

	if (vregion_reserve(m))
		return -ENOMEM;
	i = vregion_first_from(m, idx);
	memmove(&m->e[i + 1], &m->e[i], (m->n - i) * sizeof(m->e[0]));
	m->e[i] = (struct vregion_owner){ idx, owner, MEM_NODE_NONE };
	m->n++;
	return 0;
}
