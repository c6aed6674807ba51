/*
 * Lock-rank bookkeeping (tessera/lockrank.h). Portable: host tests link
 * it with their own stacks. A stack belongs to its CPU (interrupts are
 * off while a spinlock is taken or released) or to its thread, so it
 * needs no lock. lockrank_stopped is set once, by the panic path.
 */
#include <tessera/lockrank.h>
#include <tessera/printk.h>

/* Production images: no checks. Test images link kernel/lockrank_check.c,
 * whose definition replaces this one. */
__attribute__((weak)) const bool lockrank_checks = false;

static volatile bool lockrank_stopped;

void lockrank_stop(void)
{
	lockrank_stopped = true;
}

const struct lock_held *lockrank_conflict(const struct lock_stack *s, u32 rank)
{
	for (u32 i = 0; i < s->n; i++)
		if (s->e[i].rank >= rank)
			return &s->e[i];
	return NULL;
}

void lockrank_acquire(struct lock_stack *s, const void *lock, const char *name,
		      u32 rank, bool check)
{
	const struct lock_held *h;

	if (lockrank_stopped)
		return;
	h = check ? lockrank_conflict(s, rank) : NULL;
	if (h)
		panic("lock order violation: acquiring %s (rank %u) while holding %s (rank %u)",
		      name, rank, h->name, h->rank);
	if (s->n == LOCK_HELD_MAX) {
		s->overflow++;
		return;
	}
	s->e[s->n++] = (struct lock_held){ lock, name, rank, 0 };
}

void lockrank_release(struct lock_stack *s, const void *lock, const char *name)
{
	if (lockrank_stopped)
		return;
	for (u32 i = s->n; i-- > 0;) {
		if (s->e[i].lock != lock)
			continue;
		for (; i + 1 < s->n; i++)
			s->e[i] = s->e[i + 1];
		s->n--;
		return;
	}
	if (s->overflow) {
		s->overflow--;
		return;
	}
	panic("lock rank: releasing %s, which this context does not hold", name);
}
