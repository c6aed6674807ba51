/* Sleeping mutexes on wait queues; see include/tessera/mutex.h.
 * m->locked is read and written under m->wq.lock. */
#include <tessera/mutex.h>

void mutex_init(struct mutex *m)
{
	wait_queue_init(&m->wq);
	m->locked = 0;
}

bool mutex_trylock(struct mutex *m)
{
	bool got;

	spin_lock(&m->wq.lock);
	got = !m->locked;
	m->locked = 1;
	spin_unlock(&m->wq.lock);
	return got;
}

void mutex_lock(struct mutex *m)
{
	wait_event(&m->wq, mutex_trylock(m));
}

void mutex_unlock(struct mutex *m)
{
	spin_lock(&m->wq.lock);
	m->locked = 0;
	spin_unlock(&m->wq.lock);
	wake_up_one(&m->wq);
}
