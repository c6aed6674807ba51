/* Sleeping mutexes on wait queues; see include/tessera/mutex.h.
 * m->locked is read and written under m->wq.lock. Ranks are recorded on
 * the owning thread's stack (tessera/lockrank.h). */
#include <tessera/lockrank.h>
#include <tessera/mutex.h>
#include <tessera/printk.h>

void mutex_init(struct mutex *m, const char *name, enum lock_rank rank)
{
	wait_queue_init(&m->wq);
	m->locked = 0;
	m->rank = rank;
	m->name = name;
}

static bool mutex_take(struct mutex *m)
{
	bool got;

	spin_lock(&m->wq.lock);
	got = !m->locked;
	m->locked = 1;
	spin_unlock(&m->wq.lock);
	return got;
}

/* Record the acquire; with check, a mutex ranked at or below a held one,
 * or any mutex while a spinlock is held, panics first. */
static void mutex_rank(struct mutex *m, bool check)
{
	const struct lock_held *h;

	if (!lockrank_checks)
		return;
	irq_push_off(); /* the CPU's stack, read where it cannot change */
	h = check ? lockrank_conflict(lockrank_cpu_stack(), 0) : NULL;
	irq_pop_off();
	if (h)
		panic("lock order violation: acquiring %s (rank %u) while holding %s (rank %u)",
		      m->name, m->rank, h->name, h->rank);
	lockrank_acquire(lockrank_thread_stack(), m, m->name, m->rank, check);
}

bool mutex_trylock(struct mutex *m)
{
	bool got = mutex_take(m);

	if (got)
		mutex_rank(m, false);
	return got;
}

void mutex_lock(struct mutex *m)
{
	mutex_rank(m, true);
	wait_event(&m->wq, mutex_take(m));
}

void mutex_unlock(struct mutex *m)
{
	if (lockrank_checks)
		lockrank_release(lockrank_thread_stack(), m, m->name);
	spin_lock(&m->wq.lock);
	m->locked = 0;
	spin_unlock(&m->wq.lock);
	wake_up_one(&m->wq);
}
