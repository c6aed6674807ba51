/*
 * Process groups and sessions (the setpgid, getpgid, getsid and setsid
 * ops), with Linux's rules, over the processes of the caller's vNode.
 * Locking: mon->lock guards every process's pgid and sid; they are
 * written with atomic stores, so the syscall layer may read its own
 * without the lock.
 */
#include <tessera/errno.h>

#include "processor/proc/proc.h"

/* The process with id pid in self's vNode, zombies too. mon->lock held. */
static struct pproc *pgrp_find(struct pproc *self, s32 pid)
{
	struct list_node *n;

	if (pid <= 0)
		return pid == 0 ? self : NULL;
	list_for_each(n, &self->mon->procs) {
		struct pproc *p = list_entry(n, struct pproc, link);

		if (p->pid == (u32)pid && p->vnode == self->vnode)
			return p;
	}
	return NULL;
}

/* A process of self's vNode in group pgid and session sid? mon->lock held. */
static bool pgrp_exists(struct pproc *self, u32 pgid, u32 sid)
{
	struct list_node *n;

	list_for_each(n, &self->mon->procs) {
		struct pproc *p = list_entry(n, struct pproc, link);

		if (p->vnode == self->vnode && p->abi.pgid == pgid && p->abi.sid == sid)
			return true;
	}
	return false;
}

/* Linux's checks of setpgid; mon->lock held. */
static int pgrp_may_set(struct pproc *self, struct pproc *p, u32 pgid)
{
	if (p != self) {
		if (p->parent != self)
			return -ESRCH;
		if (p->abi.sid != self->abi.sid)
			return -EPERM;
		if (p->execed)
			return -EACCES;
	}
	if (p->abi.sid == p->pid)
		return -EPERM; /* a session leader */
	if (pgid != p->pid && !pgrp_exists(self, pgid, self->abi.sid))
		return -EPERM;
	return 0;
}

int ppgrp_setpgid(struct abi_thread *t, s32 pid, s32 pgid)
{
	struct pproc *self = t->proc->priv, *p;
	int err = -ESRCH;

	spin_lock(&self->mon->lock);
	p = pgrp_find(self, pid);
	if (p) {
		u32 g = pgid ? (u32)pgid : p->pid;

		err = pgrp_may_set(self, p, g);
		if (!err)
			__atomic_store_n(&p->abi.pgid, g, __ATOMIC_RELAXED);
	}
	spin_unlock(&self->mon->lock);
	return err;
}

/* pgid (sid false) or sid of the process pid names. */
static s32 pgrp_get(struct abi_thread *t, s32 pid, bool sid)
{
	struct pproc *self = t->proc->priv, *p;
	s32 r = -ESRCH;

	spin_lock(&self->mon->lock);
	p = pgrp_find(self, pid);
	if (p)
		r = (s32)(sid ? p->abi.sid : p->abi.pgid);
	spin_unlock(&self->mon->lock);
	return r;
}

s32 ppgrp_getpgid(struct abi_thread *t, s32 pid)
{
	return pgrp_get(t, pid, false);
}

s32 ppgrp_getsid(struct abi_thread *t, s32 pid)
{
	return pgrp_get(t, pid, true);
}

s32 ppgrp_setsid(struct abi_thread *t)
{
	struct pproc *self = t->proc->priv;
	struct list_node *n;
	s32 r = (s32)self->pid;

	spin_lock(&self->mon->lock);
	list_for_each(n, &self->mon->procs) {
		struct pproc *p = list_entry(n, struct pproc, link);

		if (p->vnode == self->vnode && p->abi.pgid == self->pid)
			r = -EPERM; /* it leads a group already */
	}
	if (r > 0) {
		__atomic_store_n(&self->abi.sid, self->pid, __ATOMIC_RELAXED);
		__atomic_store_n(&self->abi.pgid, self->pid, __ATOMIC_RELAXED);
	}
	spin_unlock(&self->mon->lock);
	return r;
}

/*
 * Linux's orphaned process group: no live member has a parent in another
 * group of the same session. The vNode's first process has no parent and
 * so never keeps a group attached (as a child of init does not).
 */
bool ppgrp_orphaned(struct pproc *p)
{
	u32 pgid = __atomic_load_n(&p->abi.pgid, __ATOMIC_RELAXED);
	struct list_node *n;
	bool orphaned = true;

	spin_lock(&p->mon->lock);
	list_for_each(n, &p->mon->procs) {
		struct pproc *q = list_entry(n, struct pproc, link);

		if (q->vnode != p->vnode || q->abi.pgid != pgid || q->exited || !q->parent)
			continue;
		if (q->parent->abi.pgid != pgid && q->parent->abi.sid == q->abi.sid) {
			orphaned = false;
			break;
		}
	}
	spin_unlock(&p->mon->lock);
	return orphaned;
}
