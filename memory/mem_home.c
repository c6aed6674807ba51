/*
 * The home side of the mMonitor: mmap, munmap, mprotect and brk for a
 * process's whole address space. The home decides with the Linux rules
 * (memory/vma_space.c), makes sure every vRegion a new mapping touches has
 * an owner (asking GMM), changes its own VMA tree, and then passes the
 * change on, one piece per vRegion, to the owners.
 * Locking (memory/mem.h): the caller serializes requests of one pid.
 */
#include <tessera/errno.h>

#include "memory/mem.h"

#define MEM_MAX_VREGIONS 65536u /* per process */

/* Give every vRegion of [start, end) an owner: this node for a replica,
 * else the one GMM picks. */
static int mem_home_owners(struct mem_node *n, struct mem_proc *p, u64 start,
			   u64 end)
{
	u64 first = start >> n->vregion_shift;
	u64 last = (end - 1) >> n->vregion_shift;

	for (u64 idx = first; idx <= last; idx++) {
		u32 owner;
		int err;

		if (vregion_lookup(&p->owners, idx))
			continue;
		if (p->owners.n >= MEM_MAX_VREGIONS)
			return -ENOMEM;
		owner = n->self;
		err = p->replica ? 0 : n->ops->vregion_alloc(n->ops_ctx, p->pid, idx, &owner);
		if (!err)
			err = vregion_add(&p->owners, idx, owner);
		if (err)
			return err;
	}
	return 0;
}

/* Send one piece [start, end) of a vRegion to its owner. */
static int mem_home_piece(struct mem_node *n, u32 pid, u32 owner, u16 op,
			  u64 start, u64 end, const struct vma *v)
{
	struct m2m_range_msg r = { .pid = pid, .start = start, .end = end };
	struct m2m_map_msg m = { .pid = pid, .start = start, .end = end };

	if (op != MEM_OP_M2M_MAP) {
		r.prot = v ? v->prot : 0;
		return mem_route_range(n, owner, op, &r);
	}
	m.prot = v->prot;
	m.vflags = v->flags;
	m.file = vma_file_to_wire(v->file);
	if (v->flags & MEM_VMA_FILE)
		m.off = v->off + (start - v->start);
	return mem_route_map(n, owner, &m);
}

int mem_home_forward(struct mem_node *n, struct mem_proc *p, u16 op,
		     u64 start, u64 end, const struct vma *v)
{
	const struct vregion_map *om = &p->owners;
	u64 last = (end - 1) >> n->vregion_shift;
	int ret = 0;

	for (u32 i = vregion_first_from(om, start >> n->vregion_shift);
	     i < om->n && om->e[i].idx <= last; i++) {
		u64 base = om->e[i].idx << n->vregion_shift;
		u64 lo = MAX(start, base);
		u64 hi = MIN(end, base + mem_vregion_size(n));
		int err = mem_home_piece(n, p->pid, om->e[i].owner, op, lo, hi, v);

		if (err && !ret)
			ret = err;
	}
	return ret;
}

int mem_home_install(struct mem_node *n, struct mem_proc *p, const struct vma *v)
{
	int err = mem_home_owners(n, p, v->start, v->end);

	if (!err)
		err = vmaset_insert(&p->as.vmas, v);
	if (!err)
		err = mem_home_forward(n, p, MEM_OP_M2M_MAP, v->start, v->end, v);
	return err;
}

int mem_mmap(struct mem_node *n, const struct p2m_mmap_msg *m, u64 *addr)
{
	struct mem_proc *p = mem_proc_find(n, m->pid);
	struct vma v;
	int err;

	if (!p)
		return -ESRCH;
	err = vma_mmap_plan(&p->as, m, &v);
	if (!err)
		err = mem_home_owners(n, p, v.start, v.end);
	if (!err)
		err = vma_mmap_commit(&p->as, &v);
	if (err)
		return err;
	err = mem_home_forward(n, p, MEM_OP_M2M_MAP, v.start, v.end, &v);
	if (err) {
		vmaset_remove(&p->as.vmas, v.start, v.end);
		mem_home_forward(n, p, MEM_OP_M2M_UNMAP, v.start, v.end, NULL);
		return err;
	}
	*addr = v.start;
	return 0;
}

int mem_munmap(struct mem_node *n, u32 pid, u64 addr, u64 len)
{
	struct mem_proc *p = mem_proc_find(n, pid);
	u64 end;
	int err;

	if (!p)
		return -ESRCH;
	err = vma_munmap_check(addr, len, &end);
	if (!err)
		err = vmaset_remove(&p->as.vmas, addr, end);
	if (err)
		return err;
	return mem_home_forward(n, p, MEM_OP_M2M_UNMAP, addr, end, NULL);
}

int mem_mprotect(struct mem_node *n, u32 pid, u64 addr, u64 len, u32 prot)
{
	struct mem_proc *p = mem_proc_find(n, pid);
	struct vma v = { .prot = prot & MEM_PROT_MASK };
	u64 done;
	int err, ferr = 0;

	if (!p)
		return -ESRCH;
	err = vma_mprotect(&p->as, addr, len, prot, &done);
	if (done > addr)
		ferr = mem_home_forward(n, p, MEM_OP_M2M_PROTECT, addr, done, &v);
	return err ? err : ferr;
}

/* Pass a brk change on to the owners; only growth can fail. */
static int mem_brk_forward(struct mem_node *n, struct mem_proc *p,
			   const struct vma_change *ch)
{
	struct vma v = { .start = ch->start, .end = ch->end,
			 .prot = MEM_PROT_READ | MEM_PROT_WRITE };

	if (!ch->map) {
		mem_home_forward(n, p, MEM_OP_M2M_UNMAP, ch->start, ch->end,
				 NULL);
		return 0;
	}
	return mem_home_forward(n, p, MEM_OP_M2M_MAP, ch->start, ch->end, &v);
}

int mem_brk(struct mem_node *n, u32 pid, u64 want, u64 *result)
{
	struct mem_proc *p = mem_proc_find(n, pid);
	struct vma_change ch;
	u64 old, nb;

	if (!p)
		return -ESRCH;
	old = *result = p->as.brk;
	nb = vma_brk_plan(&p->as, want, &ch);
	if (ch.map && mem_home_owners(n, p, ch.start, ch.end))
		return 0;
	if (vma_brk_commit(&p->as, nb, &ch))
		return 0;
	if (ch.start != ch.end && mem_brk_forward(n, p, &ch)) {
		struct vma_change undo = { ch.start, ch.end, false };

		vma_brk_commit(&p->as, old, &undo);
		mem_home_forward(n, p, MEM_OP_M2M_UNMAP, ch.start, ch.end, NULL);
		return 0;
	}
	*result = nb;
	return 0;
}

int mem_vregion_query(struct mem_node *n, u32 pid, u64 vaddr,
		      struct p2m_vregion_reply *r)
{
	struct mem_proc *p = mem_proc_find(n, pid);
	const struct vregion_owner *o;

	if (!p)
		return -ESRCH;
	o = vregion_lookup(&p->owners, vaddr >> n->vregion_shift);
	if (!o)
		return -ENOENT;
	r->base = o->idx << n->vregion_shift;
	r->size = mem_vregion_size(n);
	r->owner = o->owner;
	r->backup = o->backup;
	return 0;
}
