/*
 * The process list GPM asks for (`tessera ps`, tessera/wire/proc.h
 * GP2P_PS): a pMonitor's processes of one vNode in pid order, one entry
 * per thread in tid order, with the thread's state as Linux's ps shows it
 * and the CPU it last ran on, and the process's lines in the ExCache.
 * Locking: the list is taken under mon->lock (the tree and each state),
 * the threads and each comm under their process's abi.sig_lock; the
 * ExCache lines are counted after, without it (a count, not a snapshot).
 */
#include <tessera/string.h>
#include <tessera/thread.h>
#include <tessera/wire/proc.h>

#include "processor/proc/proc.h"

/* R running, S asleep in an interruptible wait, T stopped, Z zombie (th
 * NULL). sig_lock held. */
static u8 pps_state(struct pproc *p, struct pthread *th)
{
	if (!th)
		return 'Z';
	if (p->stopped)
		return 'T';
	return th->abi.sleeping ? 'S' : 'R';
}

/* The process of vnode with the smallest pid >= from; mon->lock held. */
static struct pproc *pps_next(struct pmon *mon, u32 vnode, u32 from)
{
	struct pproc *best = NULL;
	struct list_node *n;

	list_for_each(n, &mon->procs) {
		struct pproc *p = list_entry(n, struct pproc, link);

		if ((!vnode || p->vnode == vnode) && p->pid >= from &&
		    (!best || p->pid < best->pid))
			best = p;
	}
	return best;
}

static void pps_fill(struct pproc *p, struct pthread *th, struct proc_ps_entry *e)
{
	*e = (struct proc_ps_entry){
		.pid = p->pid, .ppid = __atomic_load_n(&p->abi.ppid, __ATOMIC_RELAXED),
		.pgid = p->abi.pgid, .sid = p->abi.sid, .vnode = p->vnode,
		.state = pps_state(p, th), .tid = th ? th->abi.tid : p->pid,
		.cpu = th && th->kthread ? (u8)thread_cpu(th->kthread) : 0,
	};
	str_copy(e->comm, p->comm, sizeof(e->comm));
	str_copy(e->args, p->args, sizeof(e->args));
}

/* p's threads with tids >= from_tid (a zombie: itself) into out, at most
 * max: how many. mon->lock held. */
static u32 pps_threads(struct pproc *p, u32 from_tid, struct proc_ps_entry *out, u32 max)
{
	struct list_node *l;
	u32 n = 0;

	spin_lock(&p->abi.sig_lock); /* the threads; prctl(PR_SET_NAME) */
	if (p->exited && from_tid <= p->pid && max)
		pps_fill(p, NULL, &out[n++]);
	list_for_each(l, &p->threads) {
		struct pthread *th = list_entry(l, struct pthread, link);

		if (n == max)
			break;
		if (!p->exited && th->abi.tid >= from_tid)
			pps_fill(p, th, &out[n++]);
	}
	spin_unlock(&p->abi.sig_lock);
	return n;
}

/* Does p have a thread past tid (or is it a zombie not yet listed)? */
static bool pps_more_threads(struct pproc *p, u32 tid)
{
	struct proc_ps_entry e;

	return pps_threads(p, tid + 1, &e, 1) != 0;
}

u32 pproc_list(struct pmon *mon, u32 vnode, u32 from, u32 from_tid, struct proc_ps_entry *out,
	       u32 max, bool *more)
{
	struct pproc *p = NULL;
	u32 n = 0;

	spin_lock(&mon->lock);
	while (n < max && (p = pps_next(mon, vnode, from))) {
		n += pps_threads(p, p->pid == from ? from_tid : 0, out + n, max - n);
		from = p->pid + 1;
	}
	*more = n == max && ((p && pps_more_threads(p, out[n - 1].tid)) ||
			     pps_next(mon, vnode, from));
	spin_unlock(&mon->lock);
	for (u32 i = 0; i < n; i++)
		out[i].lines = excache_lines_of(&mon->cache, out[i].pid);
	return n;
}
