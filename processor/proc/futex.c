/*
 * Futexes (futex.h): waiting on a word of the process's memory, waking,
 * requeueing and FUTEX_WAKE_OP, the robust list of a thread that ends, and
 * its CLONE_CHILD_CLEARTID word. Counts follow Linux: FUTEX_WAKE's count
 * is a signed int and wakes at least one; a requeue's first val waiters
 * are woken and the next val2 moved.
 * Locking: pfutex.lock, see futex.h.
 */
#include <tessera/errno.h>
#include <tessera/uapi/futex.h>
#include <tessera/user.h>

#include "processor/proc/proc.h"
#include "processor/proc/signal.h"

struct pfutex_waiter {
	struct list_node link; /* [fx->lock] on fx->waiters while !woken */
	u64 uaddr;             /* [fx->lock] a requeue changes it */
	u32 bitset;
	bool woken;            /* [fx->lock] set when taken off waiters */
	struct wait_queue wq;  /* the waiter sleeps here */
};

void pfutex_init(struct pfutex *fx)
{
	mutex_init(&fx->lock, "pproc.futex", LOCK_RANK_FUTEX);
	list_init(&fx->waiters);
}

/* Take w off the queue and wake it. fx->lock held. */
static void pfutex_wake_one(struct pfutex_waiter *w)
{
	list_del(&w->link);
	__atomic_store_n(&w->woken, true, __ATOMIC_RELEASE);
	wake_up_all(&w->wq);
}

/* Wake as FUTEX_WAKE does. fx->lock held. */
static int pfutex_wake_locked(struct pfutex *fx, u64 uaddr, s32 n, u32 bitset)
{
	struct list_node *l, *tmp;
	int woken = 0;

	list_for_each_safe(l, tmp, &fx->waiters) {
		struct pfutex_waiter *w = list_entry(l, struct pfutex_waiter, link);

		if (w->uaddr != uaddr || !(w->bitset & bitset))
			continue;
		pfutex_wake_one(w);
		if (++woken >= n)
			break;
	}
	return woken;
}

int pfutex_wake(struct pproc *p, u64 uaddr, s32 n, u32 bitset)
{
	int woken;

	mutex_lock(&p->futex.lock);
	woken = pfutex_wake_locked(&p->futex, uaddr, n, bitset);
	mutex_unlock(&p->futex.lock);
	return woken;
}

static int pfutex_read(u64 uaddr, u32 *val)
{
	return copy_from_user(val, uaddr, sizeof(*val));
}

/* FUTEX_WAIT and FUTEX_WAIT_BITSET. Woken wins over a timeout or a signal
 * that came at the same time. */
static long pfutex_wait(struct pproc *p, const struct abi_futex *f)
{
	struct pfutex *fx = &p->futex;
	struct pfutex_waiter w = { .uaddr = f->uaddr, .bitset = f->bitset };
	u32 cur;
	int err, r;

	wait_queue_init(&w.wq);
	mutex_lock(&fx->lock);
	err = pfutex_read(f->uaddr, &cur);
	if (!err && cur != f->val)
		err = -EAGAIN;
	if (err) {
		mutex_unlock(&fx->lock);
		return err;
	}
	list_add_tail(&fx->waiters, &w.link);
	mutex_unlock(&fx->lock);
	r = psig_wait_event(&w.wq, __atomic_load_n(&w.woken, __ATOMIC_ACQUIRE), f->deadline);
	mutex_lock(&fx->lock);
	if (!w.woken)
		list_del(&w.link);
	else
		r = 0;
	mutex_unlock(&fx->lock);
	/* A timed wait is not restarted with its old timeout. */
	return r == -ERESTARTSYS && f->deadline ? -EINTR : r;
}

/* FUTEX_REQUEUE and FUTEX_CMP_REQUEUE. fx->lock held. */
static long pfutex_requeue_locked(struct pfutex *fx, const struct abi_futex *f)
{
	s32 nwake = (s32)f->val, nmove = (s32)f->val2;
	struct list_node *l, *tmp;
	s32 count = 0;

	list_for_each_safe(l, tmp, &fx->waiters) {
		struct pfutex_waiter *w = list_entry(l, struct pfutex_waiter, link);

		if (count - nwake >= nmove)
			break;
		if (w->uaddr != f->uaddr)
			continue;
		if (++count <= nwake) {
			pfutex_wake_one(w);
			continue;
		}
		w->uaddr = f->uaddr2;
	}
	return count;
}

static long pfutex_requeue(struct pproc *p, const struct abi_futex *f)
{
	struct pfutex *fx = &p->futex;
	long r;
	u32 cur;

	mutex_lock(&fx->lock);
	if (f->cmd == FUTEX_CMP_REQUEUE) {
		r = pfutex_read(f->uaddr, &cur);
		if (!r && cur != f->val3)
			r = -EAGAIN;
		if (r) {
			mutex_unlock(&fx->lock);
			return r;
		}
	}
	r = pfutex_requeue_locked(fx, f);
	mutex_unlock(&fx->lock);
	return r;
}

/* FUTEX_WAKE_OP's atomic change of the word at uaddr2: its old value. */
static int pfutex_atomic_op(u64 uaddr, u32 enc, u32 *old)
{
	u32 cur, next;
	int err = pfutex_read(uaddr, &cur);

	while (!err) {
		*old = cur;
		err = abi_futex_op(enc, cur, &next);
		if (!err)
			err = user_cmpxchg_u32(uaddr, *old, next, &cur);
		if (!err && cur == *old)
			return 0;
	}
	return err;
}

static long pfutex_wake_op(struct pproc *p, const struct abi_futex *f)
{
	struct pfutex *fx = &p->futex;
	int woken, cmp;
	u32 old;
	long r;

	mutex_lock(&fx->lock);
	r = pfutex_atomic_op(f->uaddr2, f->val3, &old);
	cmp = r ? 0 : abi_futex_cmp(f->val3, old);
	if (!r && cmp < 0)
		r = cmp;
	if (!r) {
		woken = pfutex_wake_locked(fx, f->uaddr, (s32)f->val, FUTEX_BITSET_MATCH_ANY);
		if (cmp)
			woken += pfutex_wake_locked(fx, f->uaddr2, (s32)f->val2,
						    FUTEX_BITSET_MATCH_ANY);
		r = woken;
	}
	mutex_unlock(&fx->lock);
	return r;
}

/* A shared futex's key is found through its page, as Linux does: the
 * words of a shared call must be mapped (-EFAULT otherwise). */
static int pfutex_shared_check(const struct abi_futex *f)
{
	u32 v;
	int err;

	if (!f->shared)
		return 0;
	err = pfutex_read(f->uaddr, &v);
	if (!err && f->cmd >= FUTEX_REQUEUE)
		err = pfutex_read(f->uaddr2, &v);
	return err;
}

long pfutex_op(struct abi_thread *t, const struct abi_futex *f)
{
	struct pproc *p = t->proc->priv;
	int err = pfutex_shared_check(f);

	if (err)
		return err;
	switch (f->cmd) {
	case FUTEX_WAIT:
		return pfutex_wait(p, f);
	case FUTEX_WAKE:
		return pfutex_wake(p, f->uaddr, (s32)f->val, f->bitset);
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		return pfutex_requeue(p, f);
	case FUTEX_WAKE_OP:
		return pfutex_wake_op(p, f);
	default:
		return -ENOSYS;
	}
}

/* The robust futex at uaddr, if tid holds it: owner died, waiters keep
 * their bit, and one of them is woken to take it. */
static void pfutex_owner_died(struct pproc *p, u64 uaddr, u32 tid)
{
	u32 cur, seen;

	if (pfutex_read(uaddr, &cur))
		return;
	for (;;) {
		if ((cur & FUTEX_TID_MASK) != tid)
			return;
		seen = cur;
		if (user_cmpxchg_u32(uaddr, seen, (seen & FUTEX_WAITERS) | FUTEX_OWNER_DIED, &cur))
			return;
		if (cur == seen)
			break;
	}
	if (seen & FUTEX_WAITERS)
		pfutex_wake(p, uaddr, 1, FUTEX_BITSET_MATCH_ANY);
}

/* Walk th's robust list (at most ROBUST_LIST_LIMIT entries; a fault ends
 * the walk), then the entry it was adding or removing. */
static void pfutex_robust_exit(struct pthread *th)
{
	u64 head = th->abi.robust_list, entry, next;
	struct robust_list_head h;
	u32 tid = th->abi.tid;

	th->abi.robust_list = 0;
	if (!head || copy_from_user(&h, head, sizeof(h)))
		return;
	entry = h.next;
	for (int n = 0; entry != head && n < ROBUST_LIST_LIMIT; n++) {
		if (copy_from_user(&next, entry & ~1ull, sizeof(next)))
			break;
		if (entry != h.list_op_pending)
			pfutex_owner_died(th->proc, (entry & ~1ull) + (u64)h.futex_offset, tid);
		entry = next;
	}
	if (h.list_op_pending)
		pfutex_owner_died(th->proc, (h.list_op_pending & ~1ull) + (u64)h.futex_offset,
				  tid);
}

void pfutex_thread_exit(struct pthread *th)
{
	u64 tidp = th->abi.clear_child_tid;
	u32 zero = 0;

	pfutex_robust_exit(th);
	th->abi.clear_child_tid = 0;
	if (tidp && !copy_to_user(tidp, &zero, sizeof(zero)))
		pfutex_wake(th->proc, tidp, 1, FUTEX_BITSET_MATCH_ANY);
}
