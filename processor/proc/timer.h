/*
 * Per-process real-time timers (alarm, setitimer ITIMER_REAL): when one
 * expires its process gets SIGALRM (si_code SI_KERNEL), and one with an
 * interval is armed again. One kernel thread per pMonitor instance sleeps
 * until the earliest expiry of any armed timer.
 *
 * Locking: ptimers.lock (spinlock, rank PTIMERS) guards the armed list
 * and every pproc's ptimer fields. A timer is disarmed under the lock
 * before its process is freed, and SIGALRM is posted with the lock held,
 * so the process is alive while it is signalled.
 */
#ifndef PROCESSOR_PROC_TIMER_H
#define PROCESSOR_PROC_TIMER_H

#include <tessera/list.h>
#include <tessera/lock.h>
#include <tessera/types.h>
#include <tessera/wait.h>

struct pmon;
struct pproc;
struct thread;

struct ptimer {
	u64 expires;             /* [lock] time_ns() of expiry; 0: disarmed */
	u64 interval;            /* [lock] re-armed after this; 0: once */
	struct list_node link;   /* [lock] on ptimers.armed while armed */
};

struct ptimers {
	struct spinlock lock;
	struct list_node armed;  /* [lock] struct ptimer.link */
	u64 changes;             /* [lock] bumps when the earliest may move */
	bool stop;               /* [lock] the thread ends */
	struct wait_queue wq;    /* the thread sleeps here */
	struct thread *thread;
};

/* Start mon's timer thread: 0 or -ENOMEM. */
int ptimers_start(struct pmon *mon);
/* End it (every timer must be disarmed). */
void ptimers_stop(struct pmon *mon);
/* Arm p's timer to expire value ns from now (0: disarm), then every
 * interval ns (0: once); the time left and the interval it had before go
 * to *old_value and *old_interval when they are not NULL. */
void ptimer_set(struct pproc *p, u64 value, u64 interval, u64 *old_value, u64 *old_interval);
/* The time left and the interval, 0 and 0 when disarmed. */
void ptimer_get(struct pproc *p, u64 *value, u64 *interval);

#endif
