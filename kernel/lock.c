/* Spinlocks; see include/tessera/lock.h. Portable: the host tests link it
 * with no-op interrupt nesting. Ranks are checked (tessera/lockrank.h)
 * after interrupts are off, so the CPU's stack cannot change under us.
 * The acquire exchange and the release store order the critical section
 * against other CPUs. */
#include <tessera/arch.h>
#include <tessera/lock.h>

void spin_init(struct spinlock *l, const char *name, enum lock_rank rank)
{
	l->locked = 0;
	l->rank = rank;
	l->name = name;
}

void spin_lock(struct spinlock *l)
{
	irq_push_off();
	if (lockrank_checks)
		lockrank_acquire(lockrank_cpu_stack(), l, l->name, l->rank, true);
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			arch_cpu_relax(); /* wait reading, not writing, the line */
}

void spin_unlock(struct spinlock *l)
{
	if (lockrank_checks)
		lockrank_release(lockrank_cpu_stack(), l, l->name);
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	irq_pop_off();
}

bool spin_held(struct spinlock *l)
{
	return l->locked != 0;
}
