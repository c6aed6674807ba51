/*
 * A dirty victim riding on a miss, so that a miss costs one round trip
 * (DESIGN §3). When the line a fault evicts is dirty and the faulting
 * process's own (same pid, same home), excache_get_way hands it over in
 * a struct excache_carry instead of writing it back; the fault sends it
 * with its P2M_FETCH (MEM_FETCH_VICTIM) and the home stores it before it
 * serves the line. A first touch of anonymous memory, filled locally
 * otherwise, goes to the home too when it has a victim to carry (the home
 * answers MEM_LINE_ZERO, no page comes back). Only a line of a file-backed
 * VMA that was never written back has no fetch to ride on: the victim is
 * written back on its own.
 *
 * The victim lives only in victim_buf until the home confirms it. If the
 * fetch fails or the reply says the victim was not stored, it is written
 * back on its own, tried twice; if that fails too the process's memory is
 * no longer whole: it is marked mem_lost and dies with "memory component
 * unreachable" (process.c) rather than run on with a line gone.
 *
 * Locking: the caller holds mm_lock (guards victim_buf) and the victim's
 * set lock, which keeps every fault on the victim waiting until it is
 * stored. The backend calls sleep; no spinlock is held across them.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/printk.h>

#include "processor/proc/proc.h"

#define PCARRY_WRITEBACK_TRIES 2

static void pcarry_count(u64 *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

void *pcarry_buf(struct pproc *p)
{
	if (!p->victim_buf)
		p->victim_buf = kmalloc(EXCACHE_LINE);
	return p->victim_buf;
}

static int pcarry_lost(struct pproc *p, const struct excache_carry *cv, int err)
{
	pr_err("pmon: pid %u: dirty line 0x%lx not stored (%d): memory component "
	       "unreachable\n", p->pid, cv->vaddr, err);
	__atomic_store_n(&p->mem_lost, true, __ATOMIC_RELEASE);
	return -EHOSTUNREACH;
}

/* The victim is about to be stored: a later miss on it must fetch. */
static int pcarry_record(struct pproc *p, const struct excache_carry *cv)
{
	int err = pwset_add(&p->written, cv->vaddr);

	return err ? pcarry_lost(p, cv, err) : 0;
}

static int pcarry_writeback(struct pproc *p, const struct excache_carry *cv)
{
	const struct pmem_backend *m = &p->mon->mem;
	int err = 0;

	for (int i = 0; i < PCARRY_WRITEBACK_TRIES; i++) {
		err = m->ops->writeback(m->be, p->pid, cv->vaddr, cv->buf);
		if (!err) {
			pcarry_count(&p->stats.writebacks);
			return 0;
		}
	}
	return pcarry_lost(p, cv, err);
}

int pcarry_store(struct pproc *p, const struct excache_carry *cv)
{
	int err = pcarry_record(p, cv);

	return err ? err : pcarry_writeback(p, cv);
}

int pcarry_fetch(struct pproc *p, u64 va, bool write, void *page,
		 const struct excache_carry *cv)
{
	const struct pmem_backend *m = &p->mon->mem;
	int victim_err, r, err = pcarry_record(p, cv);

	if (err)
		return err;
	r = m->ops->fetch_victim(m->be, p->pid, va, write, page, cv->vaddr, cv->buf,
				 &victim_err);
	if (victim_err) {
		err = pcarry_writeback(p, cv);
		return err ? err : r;
	}
	pcarry_count(&p->stats.writebacks);
	pcarry_count(&p->stats.carried);
	return r;
}
