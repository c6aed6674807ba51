/*
 * Line requests (fetch, write-back) arriving at a node that is the home or
 * an owner of the process. An owner serves them from its own regions; a
 * home that does not own the vRegion forwards them to the owner, so a
 * pMonitor may send every miss to the home, or to the owner once it has
 * asked P2M_VREGION. A dirty victim riding on a fetch is written back
 * first, to wherever it belongs.
 * Locking (memory/mem.h): the caller serializes requests of one pid.
 */
#include <tessera/errno.h>

#include "memory/mem.h"

/* The owner of (pid, vaddr) as this node knows it: 0 and *owner, or
 * -ESRCH (pid unknown here) / -EFAULT (nothing mapped there). */
static int mem_line_owner(struct mem_node *n, u32 pid, u64 vaddr, u32 *owner)
{
	const struct vregion_owner *o;
	struct mem_proc *p;

	if (mem_region_find(n, pid, vaddr >> n->vregion_shift)) {
		*owner = n->self;
		return 0;
	}
	p = mem_proc_find(n, pid);
	if (!p)
		return -ESRCH;
	o = vregion_lookup(&p->owners, vaddr >> n->vregion_shift);
	if (!o)
		return -EFAULT;
	*owner = o->owner;
	return 0;
}

bool mem_pid_known(struct mem_node *n, u32 pid, u64 vaddr)
{
	return mem_region_find(n, pid, vaddr >> n->vregion_shift) ||
	       mem_proc_find(n, pid);
}

int mem_writeback(struct mem_node *n, u32 pid, u64 vaddr, const void *page)
{
	struct m2m_line_msg m = { .pid = pid, .vaddr = vaddr };
	u32 owner;
	int err = mem_line_owner(n, pid, vaddr, &owner);

	return err ? err : mem_route_writeback(n, owner, &m, page);
}

int mem_fetch(struct mem_node *n, const struct p2m_fetch_msg *m,
	      const void *victim, void *page_out, struct mem_line_reply *r)
{
	struct m2m_line_msg lm = { .pid = m->pid, .vaddr = m->vaddr,
				   .flags = m->flags & MEM_FETCH_WRITE };
	u32 owner;
	int err;

	r->vaddr = m->vaddr;
	r->victim_status = 0;
	if (m->flags & MEM_FETCH_VICTIM)
		r->victim_status = mem_writeback(n, m->pid, m->victim_vaddr,
						 victim);
	err = mem_line_owner(n, m->pid, m->vaddr, &owner);
	if (!err)
		err = mem_route_fetch(n, owner, &lm, page_out, &r->result);
	return err;
}
