/*
 * Waiting on several open files at once (fd.h): each round asks every
 * file's poll op for its events, adding its wait queues the first time.
 * A wake-up on any queue ends the sleep. Each round polls twice: once
 * while announcing the waits (a wake-up that comes during that pass may
 * be overwritten by a later announcement), then once more after the last
 * announcement, before blocking, so no wake-up is lost. A signal ends the
 * wait with -ERESTARTNOHAND.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/thread.h>
#include <tessera/time.h>

#include "processor/fd/fd.h"
#include "processor/proc/signal.h"

#define PFD_POLL_TICK_NS (10 * NSEC_PER_MSEC)

void pfd_poll_wait(struct pfd_poll *pt, struct wait_queue *wq)
{
	struct pfd_poll_entry *e;

	for (u32 i = 0; i < pt->n; i++)
		if (pt->e[i].wq == wq) {
			wait_prepare(wq, &pt->e[i].w);
			return;
		}
	if (pt->n == PFD_POLL_WAITS) {
		pt->overflow = true;
		return;
	}
	e = &pt->e[pt->n++];
	e->wq = wq;
	e->w = (struct waiter){ .queued = false };
	wait_prepare(wq, &e->w);
}

static void pfd_poll_finish(struct pfd_poll *pt)
{
	for (u32 i = 0; i < pt->n; i++)
		wait_finish(pt->e[i].wq, &pt->e[i].w);
}

/* One pass over the files: revents filled, the count of ready ones. */
static int pfd_poll_scan(struct pfd_file *const *files, struct pollfd *fds, u32 n,
			 struct pfd_poll *pt)
{
	int ready = 0;

	for (u32 i = 0; i < n; i++) {
		u32 want = (u16)fds[i].events | POLLERR | POLLHUP;
		u32 got;

		if (!files[i])
			got = 0;
		else if (files[i] == PFD_POLL_BADF)
			got = POLLNVAL;
		else
			got = pfd_poll_file(files[i], pt) & want;
		fds[i].revents = (s16)got;
		ready += got != 0;
	}
	return ready;
}

static u64 pfd_poll_deadline(const struct pfd_poll *pt, u64 deadline)
{
	u64 tick;

	if (!pt->overflow)
		return deadline;
	tick = time_ns() + PFD_POLL_TICK_NS;
	return deadline && deadline < tick ? deadline : tick;
}

/* Sleep until a queue of pt is woken, a signal or the deadline: 0, or
 * -ERESTARTNOHAND for a signal, -ETIMEDOUT at the deadline. */
static int pfd_poll_sleep(struct pfd_poll *pt, struct pthread *th, u64 deadline)
{
	int r = 0;

	if (psig_sleep_begin(th))
		r = -ERESTARTNOHAND;
	else if (deadline && time_ns() >= deadline)
		r = -ETIMEDOUT;
	else
		sched_block(pfd_poll_deadline(pt, deadline));
	psig_sleep_end(th);
	return r;
}

int pfd_poll_files(struct pfd_file *const *files, struct pollfd *fds, u32 n, u64 deadline)
{
	struct pfd_poll *pt = kzalloc(sizeof(*pt));
	struct pthread *th = pthread_current();
	int ready, r;

	if (!pt)
		return -ENOMEM;
	for (;;) {
		ready = pfd_poll_scan(files, fds, n, pt);
		if (!ready && deadline != ~0ull)
			ready = pfd_poll_scan(files, fds, n, NULL);
		if (ready || deadline == ~0ull)
			break;
		r = pfd_poll_sleep(pt, th, deadline);
		if (r) {
			ready = r == -ETIMEDOUT ? 0 : r;
			break;
		}
	}
	pfd_poll_finish(pt);
	kfree(pt);
	return ready;
}
