/*
 * Filling a new replica of a process (P2M_REPLICATE, wire/mem.h): the
 * primary, the only replica left after a failure, gives a fresh
 * mComponent the process's address space (setup: the break, the mmap
 * base and every VMA) and then, a batch per request, every line it holds.
 * The new replica keeps every vRegion itself (MEM_PROC_REPLICA).
 *
 * Why nothing is lost or stale: the pMonitor holds the process's address
 * space still during setup and sends every change to both replicas from
 * then on, the primary first. The primary copies a line under the pid's
 * serialization (mmon's pid lock), so a change reaches the new replica
 * either before the copy (the copy, MEM_LINE_IF_ABSENT, keeps the newer
 * line there) or after it (it overwrites the copy); an unmap at the
 * primary comes before the copy, or after it and then unmaps the copy.
 * Locking (memory/mem.h): the caller serializes requests of one pid.
 */
#include <tessera/errno.h>

#include "memory/mem.h"

static int mem_replica_send(struct mem_node *n, u32 to, u16 op, const void *body, u32 len,
			    const void *page)
{
	mem_stat_inc(n, forwards);
	return n->ops->forward(n->ops_ctx, to, op, body, len, page, NULL, 0, NULL);
}

static struct m2m_map_msg mem_replica_vma_msg(u32 pid, const struct vma *v)
{
	return (struct m2m_map_msg){ .pid = pid, .prot = v->prot, .vflags = v->flags,
				     .start = v->start, .end = v->end, .off = v->off,
				     .file = vma_file_to_wire(v->file) };
}

int mem_replica_setup(struct mem_node *n, u32 pid, u32 to)
{
	struct mem_proc *p = mem_proc_find(n, pid);
	struct m2m_proc_copy_msg pc;
	int err;

	if (!p)
		return -ESRCH;
	if (!to || to == n->self || to == MEM_NODE_NONE)
		return -EINVAL;
	pc = (struct m2m_proc_copy_msg){ .pid = pid, .brk_start = p->as.brk_start,
					 .brk = p->as.brk, .mmap_base = p->as.mmap_base };
	err = mem_replica_send(n, to, MEM_OP_M2M_PROC_COPY, &pc, sizeof(pc), NULL);
	for (u32 i = 0; i < p->as.vmas.n && !err; i++) {
		struct m2m_map_msg m = mem_replica_vma_msg(pid, &p->as.vmas.v[i]);

		err = mem_replica_send(n, to, MEM_OP_M2M_VMA_COPY, &m, sizeof(m), NULL);
	}
	return err;
}

int mem_replica_copy(struct mem_node *n, u32 pid, u32 to, u64 from, u32 max,
		     u64 *next, u32 *copied)
{
	u64 at[MEM_REPL_MAX];
	u8 *page = n->alloc->alloc(MEM_PAGE_SIZE);
	u32 got;
	int err = 0;

	*copied = 0;
	*next = MEM_REPL_DONE;
	if (!page)
		return -ENOMEM;
	if (!mem_proc_find(n, pid)) {
		n->alloc->free(page);
		return -ESRCH;
	}
	got = pstore_next(&n->pages, pid, from, at, MIN(max, MEM_REPL_MAX));
	for (u32 i = 0; i < got && !err; i++) {
		struct m2m_line_msg m = { .pid = pid, .flags = MEM_LINE_IF_ABSENT,
					  .vaddr = at[i] };

		if (pstore_read(&n->pages, pid, at[i], page))
			continue;
		err = mem_replica_send(n, to, MEM_OP_M2M_WRITEBACK, &m, sizeof(m), page);
		if (!err)
			++*copied;
	}
	if (!err && got == MIN(max, MEM_REPL_MAX))
		*next = at[got - 1] + MEM_PAGE_SIZE;
	n->alloc->free(page);
	return err;
}

int mem_replica_proc(struct mem_node *n, const struct m2m_proc_copy_msg *m)
{
	struct p2m_proc_create_msg c = { .pid = m->pid,
					 .flags = MEM_PROC_REPLICA | MEM_PROC_EXEC,
					 .brk_start = m->brk_start, .mmap_base = m->mmap_base };
	int err;

	if (m->brk < m->brk_start)
		return -EINVAL;
	err = mem_proc_create(n, &c);
	if (!err)
		mem_proc_find(n, m->pid)->as.brk = m->brk;
	return err;
}

int mem_replica_vma(struct mem_node *n, const struct m2m_map_msg *m)
{
	struct mem_proc *p = mem_proc_find(n, m->pid);
	bool file = m->vflags & MEM_VMA_FILE;
	struct vma v = { .start = m->start, .end = m->end, .off = m->off,
			 .flen = file ? m->end - m->start : 0, /* as vma_mmap_plan */
			 .file = vma_file_from_wire(m->file), .prot = m->prot,
			 .flags = m->vflags };

	if (!p)
		return -ESRCH;
	if (!p->replica)
		return -EINVAL;
	return mem_home_install(n, p, &v);
}
