/*
 * A node's table of processes it is home for: node setup and teardown,
 * process creation (and the reset of execve) and exit, which frees the
 * process's VMAs and pages at every owner and returns its vRegions to GMM.
 * Locking (memory/mem.h): node->lock guards the procs[] chains.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "memory/mem.h"

int mem_node_init(struct mem_node *n, u32 self, u32 vregion_shift,
		  const struct mem_ops *ops, void *ctx,
		  const struct mem_alloc *a)
{
	if (!vregion_shift)
		vregion_shift = VREGION_DEFAULT_SHIFT;
	if (vregion_shift < 12 || vregion_shift > 46 || self == MEM_NODE_NONE)
		return -EINVAL;
	memset(n, 0, sizeof(*n));
	n->self = self;
	n->vregion_shift = vregion_shift;
	n->ops = ops;
	n->ops_ctx = ctx;
	n->alloc = a;
	spin_init(&n->lock, "mem_node", LOCK_RANK_MEM_NODE);
	return pstore_init(&n->pages, a);
}

static void mem_proc_free(struct mem_node *n, struct mem_proc *p)
{
	vma_space_destroy(&p->as);
	vregion_map_destroy(&p->owners);
	n->alloc->free(p);
}

void mem_node_destroy(struct mem_node *n)
{
	for (u32 b = 0; b < MEM_PROC_BUCKETS; b++) {
		while (n->procs[b]) {
			struct mem_proc *p = n->procs[b];

			n->procs[b] = p->next;
			mem_proc_free(n, p);
		}
	}
	mem_regions_destroy(n);
	pstore_destroy(&n->pages);
}

struct mem_proc *mem_proc_find(struct mem_node *n, u32 pid)
{
	struct mem_proc *p;

	spin_lock(&n->lock);
	p = n->procs[pid % MEM_PROC_BUCKETS];
	while (p && p->pid != pid)
		p = p->next;
	spin_unlock(&n->lock);
	return p;
}

/* Free pid's state at every owner and give its vRegions back; the
 * address space is left empty. */
static void mem_proc_teardown(struct mem_node *n, struct mem_proc *p,
			      const struct p2m_proc_create_msg *again)
{
	struct vregion_map *om = &p->owners;

	for (u32 i = 0; i < om->n; i++) {
		struct m2m_range_msg m = {
			.pid = p->pid,
			.start = om->e[i].idx << n->vregion_shift,
			.end = (om->e[i].idx + 1) << n->vregion_shift,
		};

		mem_route_range(n, om->e[i].owner, MEM_OP_M2M_UNMAP, &m);
		if (n->ops->vregion_free)
			n->ops->vregion_free(n->ops_ctx, p->pid, om->e[i].idx,
					     om->e[i].owner);
	}
	vma_space_destroy(&p->as);
	vregion_map_destroy(&p->owners);
	vma_space_init(&p->as, n->alloc, again ? again->brk_start : 0,
		       again ? again->mmap_base : 0);
	vregion_map_init(&p->owners, n->alloc);
}

static bool mem_proc_args_ok(const struct p2m_proc_create_msg *m)
{
	return m->brk_start < VMA_TASK_SIZE && m->mmap_base <= VMA_TASK_SIZE &&
	       !(m->mmap_base & VMA_PAGE_MASK) &&
	       (!m->mmap_base || m->mmap_base >= VMA_MMAP_MIN_ADDR);
}

int mem_proc_create(struct mem_node *n, const struct p2m_proc_create_msg *m)
{
	struct mem_proc *p = mem_proc_find(n, m->pid);

	if (!mem_proc_args_ok(m))
		return -EINVAL;
	if (p && !(m->flags & MEM_PROC_EXEC))
		return -EEXIST;
	if (p) {
		mem_proc_teardown(n, p, m);
		p->replica = m->flags & MEM_PROC_REPLICA;
		return 0;
	}
	p = n->alloc->alloc(sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->pid = m->pid;
	p->replica = m->flags & MEM_PROC_REPLICA;
	vma_space_init(&p->as, n->alloc, m->brk_start, m->mmap_base);
	vregion_map_init(&p->owners, n->alloc);
	mem_proc_insert(n, p);
	return 0;
}

void mem_proc_insert(struct mem_node *n, struct mem_proc *p)
{
	spin_lock(&n->lock);
	p->next = n->procs[p->pid % MEM_PROC_BUCKETS];
	n->procs[p->pid % MEM_PROC_BUCKETS] = p;
	spin_unlock(&n->lock);
}

int mem_proc_exit(struct mem_node *n, u32 pid)
{
	struct mem_proc *p = mem_proc_find(n, pid), **pp;

	if (!p)
		return -ESRCH;
	mem_proc_teardown(n, p, NULL);
	spin_lock(&n->lock);
	pp = &n->procs[pid % MEM_PROC_BUCKETS];
	while (*pp != p)
		pp = &(*pp)->next;
	*pp = p->next;
	spin_unlock(&n->lock);
	mem_proc_free(n, p);
	return 0;
}
