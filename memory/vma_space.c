/*
 * The Linux address-space rules on a home's VMA set; see
 * memory/vma_space.h. Error precedence follows Linux's do_mmap,
 * do_vmi_munmap, do_mprotect_pkey and sys_brk. Not thread-safe.
 */
#include <tessera/errno.h>

#include "memory/vma_space.h"

#define MAP_FIXED_ANY (MEM_MAP_FIXED | MEM_MAP_FIXED_NOREPLACE)

void vma_space_init(struct vma_space *as, const struct mem_alloc *a,
		    u64 brk_start, u64 mmap_base)
{
	vmaset_init(&as->vmas, a->alloc, a->free);
	as->brk_start = as->brk = ALIGN_UP(brk_start, VMA_PAGE_SIZE);
	as->mmap_base = mmap_base ? mmap_base : VMA_MMAP_BASE;
}

void vma_space_destroy(struct vma_space *as)
{
	vmaset_destroy(&as->vmas);
}

/* Where a mapping of len bytes goes; the Linux top-down allocator. */
static int vma_place(const struct vma_space *as, u64 hint, u64 len,
		     u32 flags, u64 *start)
{
	const struct vmaset *s = &as->vmas;

	if (flags & MAP_FIXED_ANY) {
		if (hint & VMA_PAGE_MASK)
			return -EINVAL;
		if (hint > VMA_TASK_SIZE - len)
			return -ENOMEM;
		if (hint < VMA_MMAP_MIN_ADDR)
			return -EPERM;
		if ((flags & MEM_MAP_FIXED_NOREPLACE) &&
		    !vmaset_range_free(s, hint, hint + len))
			return -EEXIST;
		*start = hint;
		return 0;
	}
	hint &= ~VMA_PAGE_MASK; /* Linux's round_hint_to_min */
	if (hint && hint < VMA_MMAP_MIN_ADDR)
		hint = VMA_MMAP_MIN_ADDR;
	if (hint && hint <= VMA_TASK_SIZE - len &&
	    vmaset_range_free(s, hint, hint + len)) {
		*start = hint;
		return 0;
	}
	if (!vmaset_gap_topdown(s, len, VMA_MMAP_MIN_ADDR, as->mmap_base, start))
		return 0;
	return vmaset_gap_bottomup(s, len, as->mmap_base, VMA_TASK_SIZE, start);
}

static int vma_map_type(const struct p2m_mmap_msg *m, u32 *vflags)
{
	u32 type = m->flags & MEM_MAP_TYPE;
	bool anon = m->flags & MEM_MAP_ANONYMOUS;

	if (type != MEM_MAP_PRIVATE && type != MEM_MAP_SHARED &&
	    type != MEM_MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (type != MEM_MAP_PRIVATE && !anon)
		return -EOPNOTSUPP;
	*vflags = (anon ? 0 : MEM_VMA_FILE) |
		  (type != MEM_MAP_PRIVATE ? MEM_VMA_SHARED : 0);
	return 0;
}

int vma_mmap_plan(const struct vma_space *as, const struct p2m_mmap_msg *m,
		  struct vma *v)
{
	u64 len = ALIGN_UP(m->len, VMA_PAGE_SIZE);
	int err;

	if (m->off & VMA_PAGE_MASK || !m->len)
		return -EINVAL;
	if (!len || len > VMA_TASK_SIZE)
		return -ENOMEM;
	if (!(m->flags & MEM_MAP_ANONYMOUS) && m->off + len < m->off)
		return -EOVERFLOW;
	if (as->vmas.n >= VMA_MAX_COUNT)
		return -ENOMEM;
	err = vma_place(as, m->addr, len, m->flags, &v->start);
	if (err)
		return err;
	err = vma_map_type(m, &v->flags);
	if (err)
		return err;
	v->end = v->start + len;
	v->prot = m->prot & MEM_PROT_MASK;
	v->off = (v->flags & MEM_VMA_FILE) ? m->off : 0;
	v->flen = (v->flags & MEM_VMA_FILE) ? len : 0;
	v->file = (v->flags & MEM_VMA_FILE) ? vma_file_from_wire(m->file) :
					      (struct vmaset_file){ 0 };
	return 0;
}

/* The insert replaces whatever v overlaps (MAP_FIXED), all or nothing. */
int vma_mmap_commit(struct vma_space *as, const struct vma *v)
{
	return vmaset_insert(&as->vmas, v);
}

int vma_munmap_check(u64 addr, u64 len, u64 *end)
{
	if ((addr & VMA_PAGE_MASK) || addr > VMA_TASK_SIZE ||
	    len > VMA_TASK_SIZE - addr)
		return -EINVAL;
	len = ALIGN_UP(len, VMA_PAGE_SIZE);
	if (!len)
		return -EINVAL;
	*end = addr + len;
	return 0;
}

int vma_munmap(struct vma_space *as, u64 addr, u64 len)
{
	u64 end;
	int err = vma_munmap_check(addr, len, &end);

	return err ? err : vmaset_remove(&as->vmas, addr, end);
}

/* End of the mapped run starting at addr (addr if addr is unmapped). */
static u64 vma_mapped_run(const struct vmaset *s, u64 addr, u64 end)
{
	u32 i = vmaset_first_after(s, addr);
	u64 at = addr;

	for (; i < s->n && at < end && s->v[i].start <= at; i++)
		at = s->v[i].end;
	return MIN(at, end);
}

int vma_mprotect(struct vma_space *as, u64 addr, u64 len, u32 prot,
		 u64 *done)
{
	u64 end, run;
	int err;

	*done = addr;
	if (addr & VMA_PAGE_MASK)
		return -EINVAL;
	if (prot & ~(MEM_PROT_MASK | 0x8u))
		return -EINVAL;
	if (!len)
		return 0;
	end = addr + ALIGN_UP(len, VMA_PAGE_SIZE);
	if (end <= addr)
		return -ENOMEM;
	run = vma_mapped_run(&as->vmas, addr, end);
	if (run > addr) {
		err = vmaset_protect(&as->vmas, addr, run, prot & MEM_PROT_MASK);
		if (err)
			return err;
		*done = run;
	}
	return run < end ? -ENOMEM : 0;
}

u64 vma_brk_plan(const struct vma_space *as, u64 want,
		 struct vma_change *ch)
{
	u64 oldbrk = ALIGN_UP(as->brk, VMA_PAGE_SIZE);
	u64 newbrk = ALIGN_UP(want, VMA_PAGE_SIZE);

	ch->start = ch->end = 0;
	ch->map = false;
	if (want < as->brk_start || want > VMA_TASK_SIZE)
		return as->brk;
	if (newbrk == oldbrk)
		return want;
	if (want < as->brk) {
		ch->start = newbrk;
		ch->end = oldbrk;
		return want;
	}
	if (newbrk + VMA_PAGE_SIZE > VMA_TASK_SIZE ||
	    !vmaset_range_free(&as->vmas, oldbrk, newbrk + VMA_PAGE_SIZE) ||
	    as->vmas.n >= VMA_MAX_COUNT)
		return as->brk;
	ch->start = oldbrk;
	ch->end = newbrk;
	ch->map = true;
	return want;
}

int vma_brk_commit(struct vma_space *as, u64 result,
		   const struct vma_change *ch)
{
	struct vma v = { .start = ch->start, .end = ch->end,
			 .prot = MEM_PROT_READ | MEM_PROT_WRITE };
	int err = 0;

	if (ch->start != ch->end)
		err = ch->map ? vmaset_insert(&as->vmas, &v) :
				vmaset_remove(&as->vmas, ch->start, ch->end);
	if (!err)
		as->brk = result;
	return err;
}
