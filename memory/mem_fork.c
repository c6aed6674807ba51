/*
 * The home's half of a fork (P2M_FORK): the new process gets a copy of
 * the parent's address space as the home keeps it — VMAs, break, mmap
 * base and the owner of every vRegion — and each owner is asked to copy
 * its part (M2M_FORK), sharing the stored lines until either process
 * writes one back. No page crosses the network. If any step fails, the
 * child is torn down as at its exit, so nothing of it is left.
 * Locking (memory/mem.h): the caller serializes requests of the parent;
 * the child is unknown to everyone until this returns.
 */
#include <tessera/errno.h>

#include "memory/mem.h"

/* child's mem_proc: the parent's as the home keeps it; NULL: no memory. */
static struct mem_proc *mem_fork_copy(struct mem_node *n, const struct mem_proc *p,
				      u32 child)
{
	struct mem_proc *c = n->alloc->alloc(sizeof(*c));

	if (!c)
		return NULL;
	c->pid = child;
	c->replica = p->replica;
	vma_space_init(&c->as, n->alloc, p->as.brk_start, p->as.mmap_base);
	c->as.brk = p->as.brk;
	vregion_map_init(&c->owners, n->alloc);
	if (vmaset_copy(&c->as.vmas, &p->as.vmas) ||
	    vregion_map_copy(&c->owners, &p->owners)) {
		vma_space_destroy(&c->as);
		vregion_map_destroy(&c->owners);
		n->alloc->free(c);
		return NULL;
	}
	return c;
}

int mem_fork(struct mem_node *n, u32 pid, u32 child)
{
	struct mem_proc *p = mem_proc_find(n, pid), *c;
	int err = 0;

	if (!p)
		return -ESRCH;
	if (mem_proc_find(n, child))
		return -EEXIST;
	c = mem_fork_copy(n, p, child);
	if (!c)
		return -ENOMEM;
	mem_proc_insert(n, c);
	for (u32 i = 0; i < c->owners.n && !err; i++) {
		struct m2m_fork_msg m = { .pid = pid, .child = child, .version = MEM_FORK_VERSION,
					  .idx = c->owners.e[i].idx };

		err = mem_route_fork(n, c->owners.e[i].owner, &m);
	}
	if (err)
		mem_proc_exit(n, child);
	return err;
}
