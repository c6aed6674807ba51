/*
 * Wait queues. A waiter announces itself (wait_prepare), re-checks its
 * condition, and only then blocks (sched_block): a wake_up between the check
 * and the block turns the block into a no-op, so no wakeup is lost.
 * wait_queue.lock guards the waiter list. wake_up may be called from
 * interrupt handlers.
 */
#ifndef TESSERA_WAIT_H
#define TESSERA_WAIT_H

#include <tessera/list.h>
#include <tessera/lock.h>
#include <tessera/types.h>

struct thread;

struct wait_queue {
	struct spinlock lock;
	struct list_node waiters;
};

struct waiter {
	struct list_node link;
	struct thread *thread;
	bool queued;
};

void wait_queue_init(struct wait_queue *wq);
void wait_prepare(struct wait_queue *wq, struct waiter *w);
void wait_finish(struct wait_queue *wq, struct waiter *w);
/* Wake every waiter; returns how many there were. */
int wake_up_all(struct wait_queue *wq);
/* Wake the oldest waiter, if any. */
void wake_up_one(struct wait_queue *wq);

u64 time_ns(void);
void sched_block(u64 deadline);

/* Sleep until cond holds. cond is evaluated with no lock held. */
#define wait_event(wq, cond)                                  \
	do {                                                  \
		struct waiter w_ = { .queued = false }; \
		for (;;) {                                    \
			wait_prepare((wq), &w_);              \
			if (cond)                             \
				break;                        \
			sched_block(0);                       \
		}                                             \
		wait_finish((wq), &w_);                       \
	} while (0)

/* As wait_event, giving up after ns nanoseconds: evaluates to true if cond
 * held, false on timeout. */
#define wait_event_timeout(wq, cond, ns)                               \
	({                                                             \
		struct waiter w_ = { .queued = false }; \
		u64 dl_ = time_ns() + (ns);                            \
		bool ok_;                                              \
		for (;;) {                                             \
			wait_prepare((wq), &w_);                       \
			if ((ok_ = (cond)) || time_ns() >= dl_)        \
				break;                                 \
			sched_block(dl_);                              \
		}                                                      \
		wait_finish((wq), &w_);                                \
		ok_;                                                   \
	})

#endif
