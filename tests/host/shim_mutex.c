/* Sleeping mutexes for single-threaded host tests: they only track state,
 * and taking a held one is a test failure (it would deadlock). */
#include <tessera/mutex.h>
#include <tessera/printk.h>

void mutex_init(struct mutex *m, const char *name, enum lock_rank rank)
{
	m->locked = 0;
	m->rank = rank;
	m->name = name;
}

bool mutex_trylock(struct mutex *m)
{
	bool got = !m->locked;

	m->locked = 1;
	return got;
}

void mutex_lock(struct mutex *m)
{
	BUG_ON(!mutex_trylock(m));
}

void mutex_unlock(struct mutex *m)
{
	BUG_ON(!m->locked);
	m->locked = 0;
}
