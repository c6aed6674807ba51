/* Per-process real-time timers (timer.h). */
#include <tessera/errno.h>
#include <tessera/thread.h>
#include <tessera/time.h>

#include "processor/proc/proc.h"
#include "processor/proc/signal.h"

/* The earliest expiry of mon's armed timers, 0 if none. lock held. */
static u64 ptimers_earliest(struct ptimers *ts)
{
	struct list_node *n;
	u64 first = 0;

	list_for_each(n, &ts->armed) {
		struct ptimer *t = list_entry(n, struct ptimer, link);

		if (!first || t->expires < first)
			first = t->expires;
	}
	return first;
}

/* SIGALRM for every expired timer; those with an interval go again. */
static void ptimers_fire_locked(struct ptimers *ts, u64 now)
{
	struct abi_sigrec rec = { .code = SI_KERNEL };
	struct list_node *n, *tmp;

	list_for_each_safe(n, tmp, &ts->armed) {
		struct ptimer *t = list_entry(n, struct ptimer, link);
		struct pproc *p = container_of(t, struct pproc, timer);

		if (t->expires > now)
			continue;
		psig_send(p, SIGALRM, &rec);
		if (t->interval) {
			t->expires = now + t->interval;
		} else {
			t->expires = 0;
			list_del(&t->link);
		}
	}
}

static bool ptimers_changed(struct ptimers *ts, u64 seen)
{
	return __atomic_load_n(&ts->changes, __ATOMIC_ACQUIRE) != seen;
}

static void ptimers_main(void *arg)
{
	struct ptimers *ts = &((struct pmon *)arg)->timers;
	u64 seen, next, now;

	for (;;) {
		spin_lock(&ts->lock);
		if (ts->stop) {
			spin_unlock(&ts->lock);
			return;
		}
		now = time_ns();
		ptimers_fire_locked(ts, now);
		next = ptimers_earliest(ts);
		seen = ts->changes;
		spin_unlock(&ts->lock);
		if (!next)
			wait_event(&ts->wq, ptimers_changed(ts, seen));
		else
			wait_event_timeout(&ts->wq, ptimers_changed(ts, seen), next - now);
	}
}

int ptimers_start(struct pmon *mon)
{
	struct ptimers *ts = &mon->timers;

	spin_init(&ts->lock, "ptimers", LOCK_RANK_PTIMERS);
	list_init(&ts->armed);
	wait_queue_init(&ts->wq);
	ts->thread = thread_create(ptimers_main, mon, "ptimers");
	return ts->thread ? 0 : -ENOMEM;
}

static void ptimers_poke_locked(struct ptimers *ts)
{
	ts->changes++;
}

void ptimers_stop(struct pmon *mon)
{
	struct ptimers *ts = &mon->timers;

	spin_lock(&ts->lock);
	ts->stop = true;
	ptimers_poke_locked(ts);
	spin_unlock(&ts->lock);
	wake_up_all(&ts->wq);
	thread_join(ts->thread);
	ts->thread = NULL;
}

static void ptimer_read_locked(const struct ptimer *t, u64 now, u64 *value, u64 *interval)
{
	if (value)
		*value = t->expires ? (t->expires > now ? t->expires - now : 1) : 0;
	if (interval)
		*interval = t->expires ? t->interval : 0;
}

void ptimer_set(struct pproc *p, u64 value, u64 interval, u64 *old_value, u64 *old_interval)
{
	struct ptimers *ts = &p->mon->timers;
	struct ptimer *t = &p->timer;
	u64 now = time_ns();

	spin_lock(&ts->lock);
	ptimer_read_locked(t, now, old_value, old_interval);
	if (t->expires)
		list_del(&t->link);
	t->expires = value ? now + value : 0;
	t->interval = value ? interval : 0;
	if (value)
		list_add_tail(&ts->armed, &t->link);
	ptimers_poke_locked(ts);
	spin_unlock(&ts->lock);
	wake_up_all(&ts->wq);
}

void ptimer_get(struct pproc *p, u64 *value, u64 *interval)
{
	struct ptimers *ts = &p->mon->timers;

	spin_lock(&ts->lock);
	ptimer_read_locked(&p->timer, time_ns(), value, interval);
	spin_unlock(&ts->lock);
}
