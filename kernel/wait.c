/* Wait queues; see include/tessera/wait.h. Lock order: a wait queue's lock,
 * then sched_lock (inside thread_wake). */
#include <tessera/thread.h>
#include <tessera/wait.h>

#include "kernel/globals.h"

void wait_queue_init(struct wait_queue *wq)
{
	spin_init(&wq->lock, "waitq", LOCK_RANK_WAITQ);
	list_init(&wq->waiters);
}

void wait_prepare(struct wait_queue *wq, struct waiter *w)
{
	struct thread *self = thread_current();

	spin_lock(&wq->lock);
	if (!w->queued) {
		w->thread = self;
		w->queued = true;
		list_add_tail(&wq->waiters, &w->link);
	}
	spin_lock(&sched_lock);
	self->state = THREAD_WAITING;
	spin_unlock(&sched_lock);
	spin_unlock(&wq->lock);
}

void wait_finish(struct wait_queue *wq, struct waiter *w)
{
	struct thread *self = thread_current();

	spin_lock(&wq->lock);
	if (w->queued) {
		list_del(&w->link);
		w->queued = false;
	}
	spin_lock(&sched_lock);
	self->state = THREAD_RUNNING;
	spin_unlock(&sched_lock);
	spin_unlock(&wq->lock);
}

/* Wake w's thread and take it off the queue. wq->lock held. */
static void wait_wake_one(struct waiter *w)
{
	list_del(&w->link);
	w->queued = false;
	thread_wake(w->thread);
}

int wake_up_all(struct wait_queue *wq)
{
	int n = 0;

	spin_lock(&wq->lock);
	while (!list_empty(&wq->waiters)) {
		wait_wake_one(list_entry(wq->waiters.next, struct waiter, link));
		n++;
	}
	spin_unlock(&wq->lock);
	return n;
}

void wake_up_one(struct wait_queue *wq)
{
	spin_lock(&wq->lock);
	if (!list_empty(&wq->waiters))
		wait_wake_one(list_entry(wq->waiters.next, struct waiter, link));
	spin_unlock(&wq->lock);
}
