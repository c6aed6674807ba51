/*
 * The test memory backend: one address space per pid, kept as a VMA set
 * with Linux's mmap rules (MAP_FIXED replaces, MAP_FIXED_NOREPLACE
 * refuses, hints are taken when free, otherwise top-down from
 * PMEM_MMAP_BASE; munmap and mprotect split; mprotect of a hole is
 * -ENOMEM; brk grows only into free space), and a hash of stored lines
 * keyed by (pid, vaddr). A line that was never written back is reported
 * as PMEM_LINE_ZERO. Shared mappings are treated as private: one process
 * per address space. It counts write-back requests and fetches that carry
 * a victim, so tests can see which way dirty lines came back, and can be
 * told to refuse some of either. A fork copies the VMAs and every stored
 * line. bytes_moved counts what the RPC backend would send and receive
 * for the same calls (headers, messages, pages).
 *
 * Locking: lock (mutex) guards everything; every op takes it.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/mutex.h>
#include <tessera/string.h>
#include <tessera/uapi/mman.h>
#include <tessera/vmaset.h>

#include <tessera/wire/mem.h>

#include "linux-abi/abi.h"
#include "processor/test/test_backends.h"

#define PTM_PROCS 256
#define PTM_HDRS (2 * sizeof(struct rpc_hdr))
#define PTM_BUCKETS 1024

struct ptm_page {
	struct ptm_page *next;
	u32 pid;
	u64 vaddr;
	u8 data[PMEM_PAGE];
};

struct ptm_proc {
	u32 pid; /* 0: slot free */
	struct vmaset vmas;
};

struct ptest_mem {
	struct mutex lock;
	struct ptm_proc procs[PTM_PROCS];
	struct ptm_page *bucket[PTM_BUCKETS];
	u64 pages;
	u64 writebacks;    /* write-back requests */
	u64 fetch_victims; /* fetches with a victim riding on them */
	u64 refuse_victims;    /* the next this many carried victims are not stored */
	u64 refuse_writebacks; /* the next this many write-backs fail */
	u64 bytes;             /* as the RPC backend would count them */
};

static void ptm_count(struct ptest_mem *m, u64 bytes)
{
	__atomic_fetch_add(&m->bytes, PTM_HDRS + bytes, __ATOMIC_RELAXED);
}

/* Count down one injected failure from *left; true if this one fails. */
static bool ptm_refuse(struct ptest_mem *m, u64 *left)
{
	bool refuse;

	mutex_lock(&m->lock);
	refuse = *left > 0;
	*left -= refuse;
	mutex_unlock(&m->lock);
	return refuse;
}

static struct ptm_proc *ptm_proc(struct ptest_mem *m, u32 pid)
{
	for (u32 i = 0; i < PTM_PROCS; i++)
		if (m->procs[i].pid == pid)
			return &m->procs[i];
	return NULL;
}

static struct ptm_page **ptm_slot(struct ptest_mem *m, u32 pid, u64 vaddr)
{
	struct ptm_page **pp = &m->bucket[(vaddr / PMEM_PAGE + pid * 31ull) % PTM_BUCKETS];

	while (*pp && ((*pp)->pid != pid || (*pp)->vaddr != vaddr))
		pp = &(*pp)->next;
	return pp;
}

/* Free pid's stored lines in [start, end). */
static void ptm_drop_pages(struct ptest_mem *m, u32 pid, u64 start, u64 end)
{
	for (u32 b = 0; b < PTM_BUCKETS; b++) {
		struct ptm_page **pp = &m->bucket[b];

		while (*pp) {
			struct ptm_page *pg = *pp;

			if (pg->pid == pid && pg->vaddr >= start && pg->vaddr < end) {
				*pp = pg->next;
				kfree(pg);
				m->pages--;
			} else {
				pp = &pg->next;
			}
		}
	}
}

static int ptm_proc_create(void *be, u32 pid, u64 brk_start)
{
	struct ptest_mem *m = be;
	struct ptm_proc *pr;
	int err = -ENOMEM;

	mutex_lock(&m->lock);
	pr = ptm_proc(m, pid) ? NULL : ptm_proc(m, 0);
	if (pr) {
		pr->pid = pid;
		vmaset_init(&pr->vmas, kmalloc, kfree);
		err = 0;
	}
	mutex_unlock(&m->lock);
	return err;
}

static int ptm_proc_exec(void *be, u32 pid, u64 brk_start)
{
	struct ptest_mem *m = be;
	struct ptm_proc *pr;
	int err = -ESRCH;

	mutex_lock(&m->lock);
	pr = ptm_proc(m, pid);
	if (pr) {
		ptm_drop_pages(m, pid, 0, ~0ull);
		vmaset_destroy(&pr->vmas);
		vmaset_init(&pr->vmas, kmalloc, kfree);
		err = 0;
	}
	mutex_unlock(&m->lock);
	return err;
}

static void ptm_proc_exit(void *be, u32 pid)
{
	struct ptest_mem *m = be;
	struct ptm_proc *pr;

	mutex_lock(&m->lock);
	pr = ptm_proc(m, pid);
	if (pr) {
		ptm_drop_pages(m, pid, 0, ~0ull);
		vmaset_destroy(&pr->vmas);
		pr->pid = 0;
	}
	mutex_unlock(&m->lock);
}

/* Where a mapping of len bytes goes, or 0 (errno in *err). */
static u64 ptm_place(struct ptm_proc *pr, const struct pmem_mmap_req *rq, u64 len, int *err)
{
	u64 hint = ALIGN_UP(rq->addr, PMEM_PAGE);

	if (rq->flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if ((rq->flags & MAP_FIXED_NOREPLACE) && !(rq->flags & MAP_FIXED) &&
		    !vmaset_range_free(&pr->vmas, rq->addr, rq->addr + len)) {
			*err = -EEXIST;
			return 0;
		}
		return rq->addr;
	}
	if (hint >= ABI_USER_MIN && abi_user_range_ok(hint, len) &&
	    vmaset_range_free(&pr->vmas, hint, hint + len))
		return hint;
	*err = vmaset_gap_topdown(&pr->vmas, len, ABI_USER_MIN, PMEM_MMAP_BASE, &hint);
	return *err ? 0 : hint;
}

/* Replace [start, end) of pr with a fresh VMA; fills ch. Lock held. */
static int ptm_map(struct ptest_mem *m, struct ptm_proc *pr, u64 start, u64 end, u32 prot,
		   struct pmem_change *ch)
{
	struct vma v = { .start = start, .end = end, .prot = prot };
	int err = vmaset_insert(&pr->vmas, &v);

	if (err)
		return err;
	ptm_drop_pages(m, pr->pid, start, end);
	*ch = (struct pmem_change){ PMEM_MAP, prot, start, end };
	return 0;
}

static int ptm_mmap(void *be, u32 pid, const struct pmem_mmap_req *rq, struct pmem_change *ch)
{
	struct ptest_mem *m = be;
	u64 len = ALIGN_UP(rq->len, PMEM_PAGE), addr;
	struct ptm_proc *pr;
	int err = -ESRCH;

	mutex_lock(&m->lock);
	pr = ptm_proc(m, pid);
	if (pr) {
		err = 0;
		addr = ptm_place(pr, rq, len, &err);
		if (!err)
			err = ptm_map(m, pr, addr, addr + len, rq->prot, ch);
	}
	mutex_unlock(&m->lock);
	return err;
}

static int ptm_munmap(void *be, u32 pid, u64 addr, u64 len, struct pmem_change *ch)
{
	struct ptest_mem *m = be;
	struct ptm_proc *pr;
	int err = -ESRCH;

	mutex_lock(&m->lock);
	pr = ptm_proc(m, pid);
	if (pr)
		err = vmaset_remove(&pr->vmas, addr, addr + len);
	if (!err) {
		ptm_drop_pages(m, pid, addr, addr + len);
		*ch = (struct pmem_change){ PMEM_UNMAP, 0, addr, addr + len };
	}
	mutex_unlock(&m->lock);
	return err;
}

static int ptm_mprotect(void *be, u32 pid, u64 addr, u64 len, u32 prot,
			struct pmem_change *ch)
{
	struct ptest_mem *m = be;
	struct ptm_proc *pr;
	int err = -ESRCH;

	mutex_lock(&m->lock);
	pr = ptm_proc(m, pid);
	if (pr)
		err = vmaset_range_mapped(&pr->vmas, addr, addr + len) ? 0 : -ENOMEM;
	if (!err)
		err = vmaset_protect(&pr->vmas, addr, addr + len, prot);
	if (!err)
		*ch = (struct pmem_change){ PMEM_PROTECT, prot, addr, addr + len };
	mutex_unlock(&m->lock);
	return err;
}

/* Move the break of pr; lock held. */
static int ptm_move_brk(struct ptest_mem *m, struct ptm_proc *pr, u64 old_brk, u64 brk,
			struct pmem_change *ch)
{
	u64 old_end = ALIGN_UP(old_brk, PMEM_PAGE), new_end = ALIGN_UP(brk, PMEM_PAGE);
	int err;

	*ch = (struct pmem_change){ PMEM_NONE, 0, 0, 0 };
	if (new_end > old_end) {
		if (!vmaset_range_free(&pr->vmas, old_end, new_end))
			return -ENOMEM;
		return ptm_map(m, pr, old_end, new_end, PROT_READ | PROT_WRITE, ch);
	}
	if (new_end < old_end) {
		err = vmaset_remove(&pr->vmas, new_end, old_end);
		if (err)
			return err;
		ptm_drop_pages(m, pr->pid, new_end, old_end);
		*ch = (struct pmem_change){ PMEM_UNMAP, 0, new_end, old_end };
	}
	return 0;
}

static int ptm_brk(void *be, u32 pid, u64 old_brk, u64 brk, struct pmem_change *ch)
{
	struct ptest_mem *m = be;
	struct ptm_proc *pr;
	int err = -ESRCH;

	mutex_lock(&m->lock);
	pr = ptm_proc(m, pid);
	if (pr)
		err = ptm_move_brk(m, pr, old_brk, brk, ch);
	mutex_unlock(&m->lock);
	return err;
}

static int ptm_fetch(void *be, u32 pid, u64 vaddr, bool write, void *page)
{
	struct ptest_mem *m = be;
	struct ptm_page *pg;

	mutex_lock(&m->lock);
	pg = *ptm_slot(m, pid, vaddr);
	if (pg)
		memcpy(page, pg->data, PMEM_PAGE);
	mutex_unlock(&m->lock);
	ptm_count(m, sizeof(struct p2m_fetch_msg) + sizeof(struct mem_line_reply) +
		     (pg ? PMEM_PAGE : 0));
	return pg ? PMEM_LINE_DATA : PMEM_LINE_ZERO;
}

/* Store page as (pid, vaddr); count one more request in *counter. */
static int ptm_store(struct ptest_mem *m, u32 pid, u64 vaddr, const void *page, u64 *counter)
{
	struct ptm_page **pp, *fresh = kmalloc(sizeof(*fresh));

	if (!fresh)
		return -ENOMEM;
	mutex_lock(&m->lock);
	pp = ptm_slot(m, pid, vaddr);
	if (!*pp) {
		fresh->next = NULL;
		fresh->pid = pid;
		fresh->vaddr = vaddr;
		*pp = fresh;
		fresh = NULL;
		m->pages++;
	}
	memcpy((*pp)->data, page, PMEM_PAGE);
	(*counter)++;
	mutex_unlock(&m->lock);
	kfree(fresh);
	return 0;
}

static int ptm_writeback(void *be, u32 pid, u64 vaddr, const void *page)
{
	struct ptest_mem *m = be;

	if (ptm_refuse(m, &m->refuse_writebacks))
		return -EIO;
	ptm_count(m, sizeof(struct p2m_writeback_msg) + PMEM_PAGE);
	return ptm_store(m, pid, vaddr, page, &m->writebacks);
}

static int ptm_fetch_victim(void *be, u32 pid, u64 vaddr, bool write, void *page,
			    u64 victim_vaddr, const void *victim, int *victim_err)
{
	struct ptest_mem *m = be;

	*victim_err = ptm_refuse(m, &m->refuse_victims) ? -EIO :
		      ptm_store(m, pid, victim_vaddr, victim, &m->fetch_victims);
	ptm_count(m, PMEM_PAGE);
	return ptm_fetch(be, pid, vaddr, write, page);
}

/* Copy every stored line of pid for child; lock held. */
static int ptm_copy_pages(struct ptest_mem *m, u32 pid, u32 child)
{
	for (u32 b = 0; b < PTM_BUCKETS; b++)
		for (struct ptm_page *pg = m->bucket[b]; pg; pg = pg->next) {
			struct ptm_page *c, **pp;

			if (pg->pid != pid)
				continue;
			c = kmalloc(sizeof(*c));
			if (!c)
				return -ENOMEM;
			pp = ptm_slot(m, child, pg->vaddr);
			*c = (struct ptm_page){ .next = *pp, .pid = child, .vaddr = pg->vaddr };
			memcpy(c->data, pg->data, PMEM_PAGE);
			*pp = c;
			m->pages++;
		}
	return 0;
}

static int ptm_fork(void *be, u32 pid, u32 child)
{
	struct ptest_mem *m = be;
	struct ptm_proc *pr, *c;
	int err = -ESRCH;

	ptm_count(m, sizeof(struct p2m_fork_msg));
	mutex_lock(&m->lock);
	pr = ptm_proc(m, pid);
	c = pr && !ptm_proc(m, child) ? ptm_proc(m, 0) : NULL;
	if (c) {
		c->pid = child;
		vmaset_init(&c->vmas, kmalloc, kfree);
		err = vmaset_copy(&c->vmas, &pr->vmas);
		if (!err)
			err = ptm_copy_pages(m, pid, child);
	} else if (pr) {
		err = -ENOMEM;
	}
	mutex_unlock(&m->lock);
	if (err && c)
		ptm_proc_exit(m, child);
	return err;
}

static u64 ptm_bytes(void *be)
{
	return __atomic_load_n(&((struct ptest_mem *)be)->bytes, __ATOMIC_RELAXED);
}

static const struct pmem_ops ptm_ops = {
	.proc_create = ptm_proc_create, .proc_exec = ptm_proc_exec,
	.proc_exit = ptm_proc_exit, .mmap = ptm_mmap,
	.munmap = ptm_munmap, .mprotect = ptm_mprotect, .brk = ptm_brk,
	.fetch = ptm_fetch, .writeback = ptm_writeback, .fetch_victim = ptm_fetch_victim,
	.fork = ptm_fork, .bytes_moved = ptm_bytes,
};

int ptest_mem_create(struct pmem_backend *out)
{
	struct ptest_mem *m = kzalloc(sizeof(*m));

	if (!m)
		return -ENOMEM;
	mutex_init(&m->lock, "test_mem", LOCK_RANK_TEST_BACKEND);
	out->ops = &ptm_ops;
	out->be = m;
	return 0;
}

void ptest_mem_destroy(struct pmem_backend *b)
{
	struct ptest_mem *m = b->be;

	for (u32 i = 0; i < PTM_PROCS; i++)
		if (m->procs[i].pid)
			ptm_proc_exit(m, m->procs[i].pid);
	kfree(m);
	b->be = NULL;
}

u64 ptest_mem_pages(const struct pmem_backend *b)
{
	return ((struct ptest_mem *)b->be)->pages;
}

void ptest_mem_refuse(const struct pmem_backend *b, u64 victims, u64 writebacks)
{
	struct ptest_mem *m = b->be;

	mutex_lock(&m->lock);
	m->refuse_victims = victims;
	m->refuse_writebacks = writebacks;
	mutex_unlock(&m->lock);
}

void ptest_mem_requests(const struct pmem_backend *b, u64 *writebacks, u64 *fetch_victims)
{
	const struct ptest_mem *m = b->be;

	*writebacks = m->writebacks;
	*fetch_victims = m->fetch_victims;
}
