/*
 * The fault path and the ExCache hooks. A user page fault (or a fault in
 * copy_from_user/copy_to_user) is checked against the process's VMA
 * mirror: outside every VMA, or against its protection, it is a SIGSEGV
 * with no round trip. Otherwise it is an ExCache miss: take a way in the
 * line's set (evicting, and writing back, a victim), fill the frame, map
 * it with the VMA's protection and commit. A dirty victim of the process
 * itself is not written back on its own: it rides on the fill's fetch
 * (victim_carry.c).
 *
 * Filling: a line that was ever written back is fetched from the memory
 * backend. Any other line is on its first touch and is filled locally:
 * from the file for the file part of a file-backed VMA, zeros otherwise
 * (unless a victim rides along: then the home answers "zero").
 *
 * Locking (pmon.h): mm_lock is held across the whole miss, so the VMA
 * cannot change under it; the set lock from excache_get_way to commit;
 * pt_lock around each page-table change. Hooks run under a set lock and
 * may touch another process's page tables (its victim lines). A write to
 * a victim that is being written back faults on the write-protected PTE
 * (excache.h); that fault waits for the set lock in excache_get_way and
 * then finds the line gone (fetched again) or, if the write-back failed,
 * cached and writable again (a soft hit, the write is retried).
 */
#include <tessera/arch.h>
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/mmu.h>
#include <tessera/printk.h>
#include <tessera/sort.h>
#include <tessera/string.h>
#include <tessera/time.h>
#include <tessera/uapi/mman.h>

#include "processor/proc/proc.h"

static void pfault_count(u64 *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

static u32 pfault_mmu_flags(u32 prot)
{
	u32 f = MMU_USER | MMU_READ;

	if (prot & PROT_WRITE)
		f |= MMU_WRITE;
	if (prot & PROT_EXEC)
		f |= MMU_EXEC;
	return f;
}

long pfile_read_full(const struct pfile_backend *fb, const struct pfile_handle *h, u64 off,
		     void *buf, u64 len)
{
	u64 done = 0;

	while (done < len) {
		long r = fb->ops->read(fb->be, h, off + done, (u8 *)buf + done,
				       (u32)MIN(len - done, 1ull << 30));

		if (r < 0)
			return r;
		if (r == 0)
			break;
		done += r;
	}
	return (long)done;
}

/* Fetch line va into page, with cv's victim riding along if taken; stored:
 * va was written back before (else the home's answer is a zero fill). */
static int pfault_fetch(struct pproc *p, u64 va, bool write, u8 *page,
			const struct excache_carry *cv, bool stored, bool *zero)
{
	const struct pmem_backend *m = &p->mon->mem;
	int r = cv->taken ? pcarry_fetch(p, va, write, page, cv)
			  : m->ops->fetch(m->be, p->pid, va, write, page);

	if (r < 0)
		return r;
	if (r == PMEM_LINE_ZERO)
		memset(page, 0, EXCACHE_LINE);
	if (!stored && r == PMEM_LINE_ZERO) {
		*zero = true;
		pfault_count(&p->stats.zero_fills);
		return 0;
	}
	pfault_count(&p->stats.fetches);
	return 0;
}

/* First touch of line va of v: the file's bytes, or zeros. */
static int pfault_fill_local(struct pproc *p, const struct vma *v, u64 va, u8 *page,
			     bool *zero)
{
	struct pfile_handle h = pfile_from_vma(v->file);
	u64 in = va - v->start;
	long r;

	if ((v->flags & VMASET_FILE) && in < v->flen) {
		r = pfile_read_full(&p->files, &h, v->off + in, page,
				    MIN((u64)EXCACHE_LINE, v->flen - in));
		if (r < 0)
			return (int)r;
		memset(page + r, 0, EXCACHE_LINE - r);
		pfault_count(&p->stats.file_fills);
		return 0;
	}
	memset(page, 0, EXCACHE_LINE);
	*zero = true;
	pfault_count(&p->stats.zero_fills);
	return 0;
}

/* Fill page with the line va of v and store cv's victim if taken (riding
 * on the fetch when there is one or the line is anonymous); *zero says it
 * was a zero fill. */
static int pfault_fill(struct pproc *p, const struct vma *v, u64 va, bool write, u8 *page,
		       const struct excache_carry *cv, bool *zero)
{
	bool stored = pwset_has(&p->written, va);
	int err;

	if (stored || (cv->taken && !(v->flags & VMASET_FILE)))
		return pfault_fetch(p, va, write, page, cv, stored, zero);
	if (cv->taken) {
		err = pcarry_store(p, cv);
		if (err)
			return err;
	}
	return pfault_fill_local(p, v, va, page, zero);
}

static int pfault_map(struct pproc *p, u64 va, paddr_t pa, u32 prot)
{
	int err;

	spin_lock(&p->pt_lock);
	err = mmu_map(p->space, va, pa, pfault_mmu_flags(prot));
	spin_unlock(&p->pt_lock);
	return err;
}

/* The miss on line va of VMA v; mm_lock held. */
static int pfault_miss(struct pproc *p, const struct vma *v, u64 va, bool write)
{
	struct excache *c = &p->mon->cache;
	struct excache_carry cv = { .buf = pcarry_buf(p) };
	struct excache_line *l;
	bool zero = false;
	int err = excache_get_way(c, p->pid, va, &l, &cv);

	if (err == 1) {
		pfault_count(&p->stats.soft_hits);
		return 0;
	}
	if (err < 0)
		return err;
	err = pfault_fill(p, v, va, write, c->hooks->frame_data(c, l->frame), &cv, &zero);
	if (!err)
		err = pfault_map(p, va, p->mon->frames[l->frame], v->prot);
	if (err) {
		excache_abort(c, l);
		return err;
	}
	pfault_count(&p->stats.misses);
	excache_commit(c, l, zero);
	return 0;
}

/* Keep the latency of a miss that went to the memory backend (for the
 * bench: ExCache miss cost against the link's round trip). mm_lock held. */
static void pfault_log_miss(struct pproc *p, u64 ns)
{
	if (!p->miss_ns)
		p->miss_ns = kmalloc(PPROC_MISS_LOG * sizeof(u64));
	if (p->miss_ns && p->nmiss < PPROC_MISS_LOG)
		p->miss_ns[p->nmiss++] = ns;
}

int pfault_handle(struct pproc *p, u64 addr, u32 access)
{
	u64 va = ALIGN_DOWN(addr, (u64)EXCACHE_LINE);
	const struct vma *v;
	int err = -EFAULT;

	u64 t0 = time_ns(), fetches = p->stats.fetches;

	if (__atomic_load_n(&p->mem_lost, __ATOMIC_ACQUIRE))
		return -EHOSTUNREACH;
	mutex_lock(&p->mm_lock);
	v = vmaset_find(&p->vmas, va);
	if (v && (v->prot == PROT_NONE || (v->prot & access) != access))
		err = -EACCES;
	else if (v && (v->flags & PVMA_EOF_BUS) &&
		 va - v->start >= ALIGN_UP(v->flen, (u64)EXCACHE_LINE))
		err = -ENXIO;
	else if (v)
		err = pfault_miss(p, v, va, access & PROT_WRITE);
	if (!err && p->stats.fetches != fetches)
		pfault_log_miss(p, time_ns() - t0);
	mutex_unlock(&p->mm_lock);
	return err;
}

void pfault_miss_latency(struct pproc *p, u64 *median_ns, u64 *p99_ns)
{
	*median_ns = *p99_ns = 0;
	if (!p->nmiss)
		return;
	sort_u64(p->miss_ns, p->nmiss);
	*median_ns = p->miss_ns[p->nmiss / 2];
	*p99_ns = p->miss_ns[(u64)p->nmiss * 99 / 100];
}

/* ExCache hooks. A line's process is alive while it has lines: exit
 * drops them all before it frees anything. */

static struct pproc *pfault_owner(struct excache *c, const struct excache_line *l)
{
	struct pproc *p = pmon_find(c->priv, (u32)l->space);

	BUG_ON(!p);
	return p;
}

static u32 pfault_pte_flags(struct excache *c, const struct excache_line *l, u32 clear)
{
	struct pproc *p = pfault_owner(c, l);
	paddr_t pa;
	u32 flags = 0;

	spin_lock(&p->pt_lock);
	if (clear)
		mmu_clear_flags(p->space, l->vaddr, clear, &flags);
	else
		mmu_lookup(p->space, l->vaddr, &pa, &flags);
	spin_unlock(&p->pt_lock);
	return flags;
}

static bool pfault_dirty(struct excache *c, const struct excache_line *l)
{
	return pfault_pte_flags(c, l, 0) & MMU_DIRTY;
}

static bool pfault_accessed(struct excache *c, const struct excache_line *l)
{
	return pfault_pte_flags(c, l, MMU_ACCESSED) & MMU_ACCESSED;
}

/* Write-protect and take the dirty bit in one atomic PTE update. */
static bool pfault_protect(struct excache *c, const struct excache_line *l, u32 *saved)
{
	u32 old = pfault_pte_flags(c, l, MMU_WRITE | MMU_DIRTY);

	*saved = old & (MMU_WRITE | MMU_DIRTY);
	return old & MMU_DIRTY;
}

static void pfault_restore(struct excache *c, const struct excache_line *l, u32 saved)
{
	struct pproc *p = pfault_owner(c, l);

	spin_lock(&p->pt_lock);
	mmu_set_flags(p->space, l->vaddr, saved);
	spin_unlock(&p->pt_lock);
}

static void pfault_reopen(struct excache *c, const struct excache_line *l, u32 saved)
{
	struct pproc *p = pfault_owner(c, l);

	spin_lock(&p->pt_lock);
	mmu_set_flags(p->space, l->vaddr, saved & MMU_WRITE);
	spin_unlock(&p->pt_lock);
}

static void pfault_unmap(struct excache *c, const struct excache_line *l)
{
	struct pproc *p = pfault_owner(c, l);

	spin_lock(&p->pt_lock);
	mmu_unmap(p->space, l->vaddr);
	spin_unlock(&p->pt_lock);
}

static int pfault_writeback(struct excache *c, const struct excache_line *l, void *data)
{
	struct pproc *p = pfault_owner(c, l);
	struct pmon *mon = c->priv;
	int err = pwset_add(&p->written, l->vaddr);

	if (!err)
		err = mon->mem.ops->writeback(mon->mem.be, p->pid, l->vaddr, data);
	if (!err)
		pfault_count(&p->stats.writebacks);
	return err;
}

static void *pfault_frame(struct excache *c, u32 frame)
{
	return phys_to_virt(((struct pmon *)c->priv)->frames[frame]);
}

static void pfault_evicted(struct excache *c, const struct excache_line *l)
{
	pfault_count(&pfault_owner(c, l)->stats.evictions);
}

const struct excache_hooks pfault_hooks = {
	.dirty = pfault_dirty,
	.protect = pfault_protect,
	.restore = pfault_restore,
	.reopen = pfault_reopen,
	.test_clear_accessed = pfault_accessed,
	.unmap = pfault_unmap,
	.writeback = pfault_writeback,
	.frame_data = pfault_frame,
	.evicted = pfault_evicted,
};
