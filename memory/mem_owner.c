/*
 * The owner side of the mMonitor: the VMAs of each (pid, vRegion) this
 * node owns, and line fetch and write-back against the page store.
 * Locking (memory/mem.h): node->lock guards the regions[] chains; a
 * region's VMA set is used only by the worker serving its pid.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "memory/mem.h"

static u32 mem_region_hash(u32 pid, u64 idx)
{
	u64 h = (idx + 1) * 0x9e3779b97f4a7c15ull ^ (u64)pid * 0xff51afd7ed558ccdull;

	return (u32)(h >> 32) % MEM_REGION_BUCKETS;
}

struct mem_region *mem_region_find(struct mem_node *n, u32 pid, u64 idx)
{
	struct mem_region *r;

	spin_lock(&n->lock);
	r = n->regions[mem_region_hash(pid, idx)];
	while (r && (r->pid != pid || r->idx != idx))
		r = r->next;
	spin_unlock(&n->lock);
	return r;
}

/* The region of (pid, idx), created empty if needed; NULL: no memory. */
static struct mem_region *mem_region_get(struct mem_node *n, u32 pid, u64 idx)
{
	struct mem_region *r = mem_region_find(n, pid, idx);
	u32 h = mem_region_hash(pid, idx);

	if (r)
		return r;
	r = n->alloc->alloc(sizeof(*r));
	if (!r)
		return NULL;
	r->pid = pid;
	r->idx = idx;
	vmaset_init(&r->vmas, n->alloc->alloc, n->alloc->free);
	spin_lock(&n->lock);
	r->next = n->regions[h];
	n->regions[h] = r;
	spin_unlock(&n->lock);
	return r;
}

/* Forget an empty region. */
static void mem_region_put(struct mem_node *n, struct mem_region *r)
{
	struct mem_region **pp;

	if (r->vmas.n)
		return;
	spin_lock(&n->lock);
	pp = &n->regions[mem_region_hash(r->pid, r->idx)];
	while (*pp != r)
		pp = &(*pp)->next;
	*pp = r->next;
	spin_unlock(&n->lock);
	vmaset_destroy(&r->vmas);
	n->alloc->free(r);
}

void mem_regions_destroy(struct mem_node *n)
{
	for (u32 b = 0; b < MEM_REGION_BUCKETS; b++) {
		while (n->regions[b]) {
			struct mem_region *r = n->regions[b];

			n->regions[b] = r->next;
			vmaset_destroy(&r->vmas);
			n->alloc->free(r);
		}
	}
}

int mem_owner_map(struct mem_node *n, const struct m2m_map_msg *m)
{
	struct mem_region *r = mem_region_get(n, m->pid,
					      m->start >> n->vregion_shift);
	bool file = m->vflags & MEM_VMA_FILE;
	struct vma v = { .start = m->start, .end = m->end, .off = m->off,
			 .flen = file ? m->end - m->start : 0,
			 .file = vma_file_from_wire(m->file), .prot = m->prot,
			 .flags = m->vflags };
	int err;

	if (!r)
		return -ENOMEM;
	err = vmaset_insert(&r->vmas, &v); /* replaces, all or nothing */
	if (!err)
		pstore_free_range(&n->pages, m->pid, m->start, m->end);
	mem_region_put(n, r);
	return err;
}

int mem_owner_fork(struct mem_node *n, const struct m2m_fork_msg *m)
{
	struct mem_region *r = mem_region_find(n, m->pid, m->idx), *c;
	u64 base = m->idx << n->vregion_shift;
	int err;

	if (!r)
		return 0;
	if (mem_region_find(n, m->child, m->idx))
		return -EEXIST;
	c = mem_region_get(n, m->child, m->idx);
	if (!c)
		return -ENOMEM;
	err = vmaset_copy(&c->vmas, &r->vmas);
	if (!err)
		err = pstore_fork(&n->pages, m->pid, m->child, base, base + mem_vregion_size(n));
	if (err)
		vmaset_remove(&c->vmas, 0, ~0ull);
	mem_region_put(n, c);
	return err;
}

int mem_owner_unmap(struct mem_node *n, u32 pid, u64 start, u64 end)
{
	struct mem_region *r = mem_region_find(n, pid,
					       start >> n->vregion_shift);
	int err;

	if (!r)
		return 0;
	err = vmaset_remove(&r->vmas, start, end);
	if (!err)
		pstore_free_range(&n->pages, pid, start, end);
	mem_region_put(n, r);
	return err;
}

int mem_owner_protect(struct mem_node *n, u32 pid, u64 start, u64 end,
		      u32 prot)
{
	struct mem_region *r = mem_region_find(n, pid,
					       start >> n->vregion_shift);

	return r ? vmaset_protect(&r->vmas, start, end, prot) : 0;
}

/* The VMA mapping (pid, vaddr) here, or NULL. */
static struct vma *mem_owner_vma(struct mem_node *n, u32 pid, u64 vaddr)
{
	struct mem_region *r = mem_region_find(n, pid, vaddr >> n->vregion_shift);

	return r ? vmaset_find(&r->vmas, vaddr) : NULL;
}

static bool mem_prot_allows(u32 prot, u32 flags)
{
	if (flags & MEM_FETCH_WRITE)
		return prot & MEM_PROT_WRITE;
	return prot & MEM_PROT_MASK;
}

int mem_owner_fetch(struct mem_node *n, u32 pid, u64 vaddr, u32 flags,
		    void *page_out, u32 *result)
{
	struct vma *v = mem_owner_vma(n, pid, vaddr);
	struct mem_file_handle fh;
	int err;

	if (!v)
		return -EFAULT;
	if (!mem_prot_allows(v->prot, flags))
		return -EACCES;
	*result = MEM_LINE_DATA;
	if (!pstore_read(&n->pages, pid, vaddr, page_out)) {
		mem_stat_inc(n, fetch_data);
		return 0;
	}
	if (!(v->flags & MEM_VMA_FILE)) {
		*result = MEM_LINE_ZERO;
		mem_stat_inc(n, fetch_zero);
		return 0;
	}
	fh = vma_file_to_wire(v->file);
	err = n->ops->file_read(n->ops_ctx, &fh,
				v->off + (vaddr - v->start), page_out);
	if (!err)
		mem_stat_inc(n, fetch_file);
	return err;
}

int mem_owner_writeback(struct mem_node *n, u32 pid, u64 vaddr, u32 flags,
			const void *page)
{
	if (!mem_owner_vma(n, pid, vaddr))
		return -EFAULT;
	if ((flags & MEM_LINE_IF_ABSENT) && pstore_has(&n->pages, pid, vaddr))
		return 0;
	return pstore_write(&n->pages, pid, vaddr, page);
}
