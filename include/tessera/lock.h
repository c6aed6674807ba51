/*
 * Spinlocks. Holding one keeps interrupts off on this CPU (nesting is
 * counted, as in xv6's push_off/pop_off), so a lock taken by an interrupt
 * handler can never deadlock against the thread it interrupted, and a thread
 * holding a spinlock is never preempted. Never sleep with a spinlock held.
 */
#ifndef TESSERA_LOCK_H
#define TESSERA_LOCK_H

#include <tessera/lockrank.h>
#include <tessera/types.h>

struct spinlock {
	volatile u32 locked;
	u32 rank; /* enum lock_rank */
	const char *name;
};

#define SPINLOCK_INIT(n, r) { 0, r, n }

void spin_init(struct spinlock *l, const char *name, enum lock_rank rank);
void spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l);
bool spin_held(struct spinlock *l);

/* Interrupts off, nested; the outermost pop restores the saved state. */
void irq_push_off(void);
void irq_pop_off(void);

#endif
