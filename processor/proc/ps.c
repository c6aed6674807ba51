/*
 * The process list GPM asks for (`tessera ps`, tessera/wire/proc.h
 * GP2P_PS): a pMonitor's processes of one vNode in pid order, with their
 * state as Linux's ps shows it and their lines in the ExCache.
 * Locking: the list is taken under mon->lock (the tree and each state),
 * each comm under its process's abi.sig_lock;
 * the ExCache lines are counted after, without it (a count, not a
 * snapshot).
 */
#include <tessera/string.h>
#include <tessera/wire/proc.h>

#include "processor/proc/proc.h"

/* R running, S asleep in an interruptible wait, T stopped, Z zombie. */
static u8 pps_state(struct pproc *p)
{
	if (p->exited)
		return 'Z';
	if (__atomic_load_n(&p->stopped, __ATOMIC_RELAXED))
		return 'T';
	return __atomic_load_n(&p->main->abi.sleeping, __ATOMIC_RELAXED) ? 'S' : 'R';
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

static void pps_fill(struct pproc *p, struct proc_ps_entry *e)
{
	*e = (struct proc_ps_entry){
		.pid = p->pid, .ppid = __atomic_load_n(&p->abi.ppid, __ATOMIC_RELAXED),
		.pgid = p->abi.pgid, .sid = p->abi.sid, .vnode = p->vnode,
		.state = pps_state(p),
	};
	spin_lock(&p->abi.sig_lock); /* prctl(PR_SET_NAME) */
	str_copy(e->comm, p->comm, sizeof(e->comm));
	spin_unlock(&p->abi.sig_lock);
	str_copy(e->args, p->args, sizeof(e->args));
}

u32 pproc_list(struct pmon *mon, u32 vnode, u32 from, struct proc_ps_entry *out, u32 max,
	       bool *more)
{
	struct pproc *p = NULL;
	u32 n = 0;

	spin_lock(&mon->lock);
	while (n < max && (p = pps_next(mon, vnode, from))) {
		pps_fill(p, &out[n++]);
		from = p->pid + 1;
	}
	*more = n == max && pps_next(mon, vnode, from);
	spin_unlock(&mon->lock);
	for (u32 i = 0; i < n; i++)
		out[i].lines = excache_lines_of(&mon->cache, out[i].pid);
	return n;
}
