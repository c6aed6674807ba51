/*
 * TLB shootdown. A CPU caches translations of the page-table root it has
 * loaded (no PCIDs, no global user pages), so a change to a mapping that
 * other CPUs may hold is flushed on every CPU whose x86_percpu.cr3 is
 * that root (every CPU for the kernel's own tables), before the change is
 * reported done. The request goes by NMI: a target may be spinning on a
 * lock the requester holds, with interrupts off, and must still answer.
 *
 * tlb_lock serializes requests and guards tlb_req. A target sees its
 * tlb_want set, does the work in NMI context (no locks, no GS) and clears
 * it; the requester spins until every want is clear. Ordering: the
 * requester changes the PTE, then (full fence) reads the CPUs' cr3; a CPU
 * records its cr3 before loading it (mov to cr3 serializes), so either the
 * requester sees the root or the CPU's walks see the new PTE.
 */
#include <tessera/arch.h>
#include <tessera/lock.h>
#include <tessera/printk.h>
#include <tessera/time.h>

#include "arch/x86/io.h"
#include "arch/x86/x86.h"

#define TLB_FULL_FLUSH 32 /* pages above which a target reloads cr3 */
#define TLB_WAIT_NS (10 * NSEC_PER_SEC)
#define ICR_NMI (4u << 8)

static struct spinlock tlb_lock = SPINLOCK_INIT("tlb", LOCK_RANK_TLB);
static struct {
	u64 root;   /* whose translations; 0: the kernel's (all CPUs) */
	u64 va, npages;
	bool drop;  /* switch away from root (it is being freed) instead */
} tlb_req;

void x86_set_cr3(u64 root)
{
	unsigned long flags = arch_irq_save(); /* the record is this CPU's */
	struct x86_percpu *pc = x86_this_cpu();

	pc->lazy = 0; /* first: an NMI must not drop the root now chosen */
	__atomic_store_n(&pc->cr3, root, __ATOMIC_SEQ_CST);
	write_cr3(root);
	arch_irq_restore(flags);
}

/* A thread that needs no particular space (0) keeps the root loaded, so a
 * switch back to the same process costs no reload, but marks it lazy: the
 * first shootdown for that root makes this CPU drop it, and no later one
 * has to wait for this CPU. Interrupts are off. */
void x86_switch_space(u64 root)
{
	struct x86_percpu *pc = x86_this_cpu();

	if (!root) {
		pc->lazy = 1;
		return;
	}
	pc->lazy = 0; /* before the comparison, which an NMI may change */
	if (root != read_cr3())
		x86_set_cr3(root);
}

static void tlb_flush_local(u64 va, u64 npages)
{
	if (npages > TLB_FULL_FLUSH) {
		write_cr3(read_cr3());
		return;
	}
	for (u64 i = 0; i < npages; i++)
		invlpg((void *)(va + i * 4096));
}

/* In NMI context on a target; the NMI may have interrupted anything. */
void tlb_nmi(void)
{
	struct x86_percpu *pc = x86_cpu_by_apic(lapic_id());
	u64 root = tlb_req.root;

	if (!pc || !__atomic_load_n(&pc->tlb_want, __ATOMIC_ACQUIRE))
		return;
	if (!tlb_req.drop && !(pc->lazy && read_cr3() == root))
		tlb_flush_local(tlb_req.va, tlb_req.npages);
	else if (read_cr3() == root) {
		/* leave root (lazy, or it is being freed); pc->cr3 differs
		 * if the NMI came between x86_set_cr3's steps: the CPU is
		 * loading another root, keep its record */
		__atomic_compare_exchange_n(&pc->cr3, &root, paging_kernel_root(),
					    false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
		write_cr3(paging_kernel_root());
	}
	__atomic_store_n(&pc->tlb_want, 0, __ATOMIC_RELEASE);
}

static bool tlb_is_target(const struct x86_percpu *pc, u64 root)
{
	return !root || __atomic_load_n(&pc->cr3, __ATOMIC_SEQ_CST) == root;
}

/* Send the request in tlb_req to every other target; tlb_lock held. */
static bool tlb_send(void)
{
	struct x86_percpu *self = x86_this_cpu();
	bool sent = false;
	u64 end;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (int i = 0; i < x86_ncpus; i++) {
		struct x86_percpu *pc = &x86_cpus[i];

		if (pc == self || !tlb_is_target(pc, tlb_req.root))
			continue;
		__atomic_store_n(&pc->tlb_want, 1, __ATOMIC_RELEASE);
		lapic_send_ipi(pc->apic_id, ICR_NMI);
		sent = true;
	}
	end = time_ns() + TLB_WAIT_NS;
	for (int i = 0; sent && i < x86_ncpus; i++)
		while (__atomic_load_n(&x86_cpus[i].tlb_want, __ATOMIC_ACQUIRE))
			if (time_ns() > end)
				panic("TLB shootdown: CPU %d does not answer", i);
	return sent;
}

/* Flush [va, va + npages pages) of root (0: the kernel's) on every other
 * CPU that may hold it; the caller flushes its own. True if any did. */
bool tlb_flush_others(u64 root, u64 va, u64 npages)
{
	bool sent;

	if (x86_ncpus == 1)
		return false;
	spin_lock(&tlb_lock);
	tlb_req.root = root;
	tlb_req.va = va;
	tlb_req.npages = npages;
	tlb_req.drop = false;
	sent = tlb_send();
	spin_unlock(&tlb_lock);
	return sent;
}

/* No CPU keeps root loaded once this returns (it is about to be freed). */
void tlb_drop_root(u64 root)
{
	if (read_cr3() == root)
		x86_set_cr3(paging_kernel_root());
	if (x86_ncpus == 1)
		return;
	spin_lock(&tlb_lock);
	tlb_req.root = root;
	tlb_req.drop = true;
	tlb_send();
	spin_unlock(&tlb_lock);
}
