/*
 * The mMonitor's state and its portable core.
 *
 * One struct mem_node is one mComponent. It plays two parts:
 *  - home of some processes (struct mem_proc): the VMA tree of the whole
 *    address space, the break, and the owner of every vRegion in use. The
 *    home decides every mmap/munmap/mprotect/brk and forwards the
 *    per-vRegion pieces to the owners;
 *  - owner of some vRegions (struct mem_region, one per (pid, vRegion)):
 *    the VMAs inside the vRegion and, in the page store, its backing pages.
 *    Owners serve line fetches and write-backs.
 * Everything remote goes through struct mem_ops, so host tests run several
 * nodes in one process; a node sends to itself by calling directly.
 *
 * Locking and threads. Requests of one process are serialized by the
 * caller: the RPC server hands every request naming a pid to the worker
 * chosen by that pid, so a mem_proc, its vma_space and vregion_map, and
 * that pid's mem_regions are used by one thread at a time and have no
 * lock. Different pids run in parallel:
 *   mem_node.lock   spinlock; guards the procs[] and regions[] chains
 *                   (insert, remove, lookup). Never held across mem_ops
 *                   calls or allocation.
 *   pstore.lock     see memory/pstore.h.
 *   mem_node.stats  updated with relaxed atomics.
 * mem_ops calls are made with no lock held and may block.
 */
#ifndef MEMORY_MEM_H
#define MEMORY_MEM_H

#include <tessera/lock.h>
#include <tessera/wire/mem.h>

#include "memory/pstore.h"
#include "memory/vma_space.h"
#include "memory/vregion.h"

#define MEM_PROC_BUCKETS 64
#define MEM_REGION_BUCKETS 256

struct mem_node;

/* What a node asks of the rest of the cluster. ctx is mem_node.ops_ctx. */
struct mem_ops {
	/* GMM: choose the owner of vRegion idx of pid. 0 and *owner, or
	 * -errno (-ENOMEM: no memory anywhere). */
	int (*vregion_alloc)(void *ctx, u32 pid, u64 idx, u32 *owner);
	/* GMM: the process no longer uses vRegion idx. */
	void (*vregion_free)(void *ctx, u32 pid, u64 idx, u32 owner);
	/* Send M2M request op with body to node and wait for the reply:
	 * page_in (4096 bytes) goes with MEM_PAGE_IN ops, page_out receives
	 * a MEM_LINE_DATA line; the reply body (reply_len bytes expected)
	 * goes to reply. Returns the remote status, or -errno of transport. */
	int (*forward)(void *ctx, u32 node, u16 op, const void *body, u32 len,
		       const void *page_in, void *reply, u32 reply_len,
		       void *page_out);
	/* Storage: read the 4 KiB at byte offset off of file f (zeros past
	 * its end). */
	int (*file_read)(void *ctx, const struct mem_file_handle *f, u64 off,
			 void *page);
};

struct mem_proc {
	struct mem_proc *next; /* procs[] chain, mem_node.lock */
	u32 pid;
	bool replica; /* MEM_PROC_REPLICA: every vRegion is owned here */
	struct vma_space as;
	struct vregion_map owners;
};

struct mem_region {
	struct mem_region *next; /* regions[] chain, mem_node.lock */
	u32 pid;
	u64 idx; /* vRegion number */
	struct vmaset vmas; /* inside [idx << shift, (idx + 1) << shift) */
};

struct mem_stats {
	u64 fetch_data; /* lines returned from a backing page */
	u64 fetch_zero; /* untouched anonymous lines: zero-fill indication */
	u64 fetch_file; /* untouched file lines read from storage */
	u64 forwards; /* requests sent to other owners */
	u64 rejected; /* malformed requests refused by the dispatcher */
};

struct mem_node {
	u32 self; /* this mComponent's node id */
	u32 vregion_shift; /* vRegion size is 1 << shift */
	const struct mem_ops *ops;
	void *ops_ctx;
	const struct mem_alloc *alloc;
	struct spinlock lock;
	struct mem_proc *procs[MEM_PROC_BUCKETS];
	struct mem_region *regions[MEM_REGION_BUCKETS];
	struct pstore pages;
	struct mem_stats stats;
};

#define mem_stat_inc(n, field) \
	__atomic_fetch_add(&(n)->stats.field, 1, __ATOMIC_RELAXED)

/* vregion_shift: 12..46 (0: 1 GiB). 0 or -EINVAL/-ENOMEM. */
int mem_node_init(struct mem_node *n, u32 self, u32 vregion_shift,
		  const struct mem_ops *ops, void *ctx,
		  const struct mem_alloc *a);
/* Drop every process and region this node holds (no messages sent). */
void mem_node_destroy(struct mem_node *n);

static inline u64 mem_vregion_size(const struct mem_node *n)
{
	return 1ull << n->vregion_shift;
}

/* Home side (memory/mem_home.c, memory/mem_proc.c). mem_home_forward
 * sends one M2M op for every vRegion piece of [start, end) that has an
 * owner; the first error is returned, every piece is tried. */
struct mem_proc *mem_proc_find(struct mem_node *n, u32 pid);
int mem_proc_create(struct mem_node *n, const struct p2m_proc_create_msg *m);
int mem_proc_exit(struct mem_node *n, u32 pid);
int mem_mmap(struct mem_node *n, const struct p2m_mmap_msg *m, u64 *addr);
int mem_munmap(struct mem_node *n, u32 pid, u64 addr, u64 len);
int mem_mprotect(struct mem_node *n, u32 pid, u64 addr, u64 len, u32 prot);
/* brk never fails: *result is the new break, or the old one. */
int mem_brk(struct mem_node *n, u32 pid, u64 want, u64 *result);
int mem_home_forward(struct mem_node *n, struct mem_proc *p, u16 op,
		     u64 start, u64 end, const struct vma *v);
int mem_vregion_query(struct mem_node *n, u32 pid, u64 vaddr,
		      struct p2m_vregion_reply *r);
/* Put VMA v (not overlapping any) in p's tree and at its owners. */
int mem_home_install(struct mem_node *n, struct mem_proc *p, const struct vma *v);

/* Filling a new replica (memory/mem_replica.c, wire/mem.h P2M_REPLICATE).
 * At the primary: make pid at `to` as it is here (no lines), or copy up
 * to max lines at or after from (*next: where to go on, MEM_REPL_DONE).
 * At the new replica: M2M_PROC_COPY and M2M_VMA_COPY. */
int mem_replica_setup(struct mem_node *n, u32 pid, u32 to);
int mem_replica_copy(struct mem_node *n, u32 pid, u32 to, u64 from, u32 max,
		     u64 *next, u32 *copied);
int mem_replica_proc(struct mem_node *n, const struct m2m_proc_copy_msg *m);
int mem_replica_vma(struct mem_node *n, const struct m2m_map_msg *m);
/* memory/mem_fork.c: child becomes a copy of pid (P2M_FORK); on failure
 * nothing of child is left. -ESRCH: pid is not homed here; -EEXIST: child
 * is known here already. */
int mem_fork(struct mem_node *n, u32 pid, u32 child);
/* memory/mem_proc.c: put a new mem_proc on the node's table. */
void mem_proc_insert(struct mem_node *n, struct mem_proc *p);

/* Lines at a home or an owner (memory/mem_line.c): route to the owner. */
int mem_fetch(struct mem_node *n, const struct p2m_fetch_msg *m,
	      const void *victim, void *page_out, struct mem_line_reply *r);
int mem_writeback(struct mem_node *n, u32 pid, u64 vaddr, const void *page);
/* Is pid known here for vaddr (home of pid, or owner of its vRegion)? */
bool mem_pid_known(struct mem_node *n, u32 pid, u64 vaddr);

/* Owner side (memory/mem_owner.c); ranges lie inside one vRegion. */
int mem_owner_map(struct mem_node *n, const struct m2m_map_msg *m);
int mem_owner_unmap(struct mem_node *n, u32 pid, u64 start, u64 end);
int mem_owner_protect(struct mem_node *n, u32 pid, u64 start, u64 end,
		      u32 prot);
/* *result: MEM_LINE_DATA (page_out filled) or MEM_LINE_ZERO. -EFAULT:
 * not mapped; -EACCES: access not allowed by prot. */
int mem_owner_fetch(struct mem_node *n, u32 pid, u64 vaddr, u32 flags,
		    void *page_out, u32 *result);
/* flags: MEM_LINE_IF_ABSENT keeps a line already stored. */
int mem_owner_writeback(struct mem_node *n, u32 pid, u64 vaddr, u32 flags,
			const void *page);
struct mem_region *mem_region_find(struct mem_node *n, u32 pid, u64 idx);
/* M2M_FORK at an owner: child's region idx copies pid's, its lines
 * shared (memory/pstore.h). Nothing there: 0. */
int mem_owner_fork(struct mem_node *n, const struct m2m_fork_msg *m);
/* Free every region (no pages: the page store is destroyed whole). */
void mem_regions_destroy(struct mem_node *n);

/* Home to owner, locally or through mem_ops.forward (memory/mem_route.c). */
int mem_route_map(struct mem_node *n, u32 owner, const struct m2m_map_msg *m);
int mem_route_range(struct mem_node *n, u32 owner, u16 op,
		    const struct m2m_range_msg *m);
int mem_route_fetch(struct mem_node *n, u32 owner,
		    const struct m2m_line_msg *m, void *page_out, u32 *result);
int mem_route_writeback(struct mem_node *n, u32 owner,
			const struct m2m_line_msg *m, const void *page);
int mem_route_fork(struct mem_node *n, u32 owner, const struct m2m_fork_msg *m);

/* Server side: check and run one decoded request (memory/mem_proto.c). */
int mem_dispatch(struct mem_node *n, u16 op, const void *body, u32 len,
		 const void *page_in, void *reply, u32 reply_cap,
		 u32 *reply_len, void *page_out);

#endif
