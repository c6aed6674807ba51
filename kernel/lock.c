/* Spinlocks; see include/tessera/lock.h. Portable: the host tests link it
 * with no-op interrupt nesting. */
#include <tessera/arch.h>
#include <tessera/lock.h>

void spin_init(struct spinlock *l, const char *name)
{
	l->locked = 0;
	l->name = name;
}

void spin_lock(struct spinlock *l)
{
	irq_push_off();
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
}

void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	irq_pop_off();
}

bool spin_held(struct spinlock *l)
{
	return l->locked != 0;
}
