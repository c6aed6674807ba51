/*
 * Address-space changes: each asks the memory backend, then applies the
 * change it reports to the process's VMA mirror and to the ExCache, all
 * under mm_lock so that no fault sees a half-made change:
 *  - a new mapping (MAP, also over an old one with MAP_FIXED) and an
 *    unmap drop the range's cached lines without writing them back (their
 *    contents are gone) and forget they were ever written back;
 *  - a protection change writes back and drops the range's lines, so the
 *    next touch maps them with the new protection.
 */
#include <tessera/errno.h>
#include <tessera/uapi/mman.h>

#include "processor/proc/proc.h"

/* Bring cache, written set and mirror in line with ch; tmpl gives a new
 * VMA's file fields. mm_lock held. */
static int pmap_apply_change(struct pproc *p, const struct pmem_change *ch,
			     const struct vma *tmpl)
{
	struct vma v = { 0 };
	int err;

	if (ch->kind == PMEM_NONE)
		return 0;
	err = excache_drop_range(&p->mon->cache, p->pid, ch->start, ch->end,
				 ch->kind == PMEM_PROTECT);
	if (err)
		return err;
	if (ch->kind == PMEM_PROTECT)
		return vmaset_protect(&p->vmas, ch->start, ch->end, ch->prot);
	pwset_remove_range(&p->written, ch->start, ch->end);
	if (ch->kind == PMEM_UNMAP)
		return vmaset_remove(&p->vmas, ch->start, ch->end);
	if (tmpl)
		v = *tmpl;
	v.start = ch->start;
	v.end = ch->end;
	v.prot = ch->prot;
	return vmaset_insert(&p->vmas, &v);
}

void pmap_count(struct pproc *p)
{
	u64 bytes = 0;

	for (u32 i = 0; i < p->vmas.n; i++)
		bytes += p->vmas.v[i].end - p->vmas.v[i].start;
	__atomic_store_n(&p->vm_bytes, bytes, __ATOMIC_RELAXED);
}

/* pmap_apply_change, and the mapped size that /proc shows. */
static int pmap_apply(struct pproc *p, const struct pmem_change *ch, const struct vma *tmpl)
{
	int err = pmap_apply_change(p, ch, tmpl);

	pmap_count(p);
	return err;
}

long pmap_mmap(struct pproc *p, const struct pmem_mmap_req *rq, const struct vma *tmpl)
{
	struct pmem_change ch;
	int err;

	mutex_lock(&p->mm_lock);
	err = p->mon->mem.ops->mmap(p->mon->mem.be, p->pid, rq, &ch);
	if (!err)
		err = pmap_apply(p, &ch, tmpl);
	mutex_unlock(&p->mm_lock);
	return err ? err : (long)ch.start;
}

int pmap_munmap(struct pproc *p, u64 addr, u64 len)
{
	struct pmem_change ch;
	int err;

	mutex_lock(&p->mm_lock);
	err = p->mon->mem.ops->munmap(p->mon->mem.be, p->pid, addr, len, &ch);
	if (!err)
		err = pmap_apply(p, &ch, NULL);
	mutex_unlock(&p->mm_lock);
	return err;
}

int pmap_mprotect(struct pproc *p, u64 addr, u64 len, u32 prot)
{
	struct pmem_change ch;
	int err;

	mutex_lock(&p->mm_lock);
	err = p->mon->mem.ops->mprotect(p->mon->mem.be, p->pid, addr, len, prot, &ch);
	if (!err)
		err = pmap_apply(p, &ch, NULL);
	mutex_unlock(&p->mm_lock);
	return err;
}

int pmap_brk(struct pproc *p, u64 old_brk, u64 brk)
{
	struct pmem_change ch;
	int err;

	mutex_lock(&p->mm_lock);
	err = p->mon->mem.ops->brk(p->mon->mem.be, p->pid, old_brk, brk, &ch);
	if (!err)
		err = pmap_apply(p, &ch, NULL);
	mutex_unlock(&p->mm_lock);
	return err;
}
