/*
 * Signals in the pMonitor (signal.h): posting and waking, interruptible
 * sleeps, kill's choice of targets, stops, and the return to user mode.
 * Locking: mon->lock keeps a process on mon->procs (and so alive) while a
 * signal is posted to it; the process's abi.sig_lock guards its signal
 * state, its threads' list and sleeping marks and its stopped flag; a
 * sleeping thread is woken under it (sched_lock ranks below).
 */
#include <tessera/arch.h>
#include <tessera/errno.h>
#include <tessera/time.h>
#include <tessera/user.h>

#include "processor/proc/proc.h"
#include "processor/proc/signal.h"

/* Wake th if sig ends its sleep. sig_lock held (th stays on threads). */
static bool psig_wake_locked(struct pthread *th, int sig)
{
	if (!abi_sig_wakes(&th->abi, sig))
		return false;
	if (th->kthread)
		thread_wake(th->kthread);
	return true;
}

void psig_post_locked(struct pproc *p, struct pthread *th, int sig, const struct abi_sigrec *rec)
{
	struct list_node *n;

	if (sig == SIGCONT)
		p->conts++;
	if ((sig == SIGKILL || sig == SIGCONT) && p->stopped) {
		p->stopped = false;
		wake_up_all(&p->stop_wq);
	}
	if (th ? !abi_sig_post(&p->abi, &th->abi, sig, rec)
	       : !abi_sig_post_proc(&p->abi, &p->main->abi, sig, rec))
		return;
	if (th) {
		psig_wake_locked(th, sig);
		return;
	}
	list_for_each(n, &p->threads)
		if (psig_wake_locked(list_entry(n, struct pthread, link), sig))
			return;
}

void psig_send(struct pproc *p, int sig, const struct abi_sigrec *rec)
{
	spin_lock(&p->abi.sig_lock);
	psig_post_locked(p, NULL, sig, rec);
	spin_unlock(&p->abi.sig_lock);
}

void psig_raise(int sig)
{
	struct pthread *th = pthread_current();

	if (th)
		abi_sig_raise(&th->abi, sig);
}

bool psig_pending(void)
{
	struct pthread *th = pthread_current();

	return th && abi_sig_pending(&th->abi);
}

bool psig_sleep_begin(struct pthread *th)
{
	struct abi_proc *ap;
	bool pending;

	if (!th)
		return false;
	ap = th->abi.proc;
	spin_lock(&ap->sig_lock);
	th->abi.sleeping = true;
	pending = abi_sig_interrupts_locked(&th->abi) != 0;
	spin_unlock(&ap->sig_lock);
	return pending;
}

void psig_sleep_end(struct pthread *th)
{
	if (!th)
		return;
	spin_lock(&th->abi.proc->sig_lock);
	th->abi.sleeping = false;
	spin_unlock(&th->abi.proc->sig_lock);
}

int psig_sleep(struct abi_thread *t, k_sigset_t extra, u64 deadline)
{
	struct pthread *th = t->priv;
	int r;

	spin_lock(&t->proc->sig_lock);
	t->wait_extra = extra;
	spin_unlock(&t->proc->sig_lock);
	r = psig_wait_event(&th->sleep_wq, false, deadline);
	spin_lock(&t->proc->sig_lock);
	t->wait_extra = 0;
	spin_unlock(&t->proc->sig_lock);
	return r == -ETIMEDOUT ? -ETIMEDOUT : 0;
}

/* Is p one of the targets kill(pid) names for a caller in vnode (self:
 * the calling process; NULL: GPM, which names only pid > 0 and groups)? */
static bool psig_targets(u32 vnode, const struct pproc *self, const struct pproc *p, s32 pid)
{
	if (pid > 0)
		return p->pid == (u32)pid && (self || p->vnode == vnode);
	if (p->vnode != vnode)
		return false;
	if (pid == 0)
		return p->abi.pgid == self->abi.pgid;
	if (pid == -1)
		return p != self;
	return p->abi.pgid == (u32)-pid;
}

/* Send sig (0: only look) to kill(pid)'s targets: how many there were. */
static int psig_kill_targets(struct pmon *mon, u32 vnode, const struct pproc *self, s32 pid,
			     int sig, const struct abi_sigrec *rec)
{
	struct list_node *n;
	int found = 0;

	spin_lock(&mon->lock);
	list_for_each(n, &mon->procs) {
		struct pproc *p = list_entry(n, struct pproc, link);

		if (!psig_targets(vnode, self, p, pid))
			continue;
		found++;
		if (sig)
			psig_send(p, sig, rec);
	}
	spin_unlock(&mon->lock);
	return found;
}

int psig_kill(struct abi_thread *t, s32 pid, int sig, s32 code)
{
	struct pproc *self = t->proc->priv;
	struct abi_sigrec rec = { .code = code, .pid = self->pid, .uid = t->proc->uid };

	if (pid == INT32_MIN)
		return -ESRCH;
	return psig_kill_targets(self->mon, self->vnode, self, pid, sig, &rec) ? 0 : -ESRCH;
}

int psig_sigqueue(struct abi_thread *t, s32 pid, int sig, const struct abi_sigrec *rec)
{
	struct pproc *self = t->proc->priv;

	if (pid <= 0)
		return -ESRCH;
	return psig_kill_targets(self->mon, self->vnode, self, pid, sig, rec) ? 0 : -ESRCH;
}

int psig_kill_from_gpm(struct pmon *mon, u32 vnode, s32 pid, int sig)
{
	struct abi_sigrec rec = { .code = SI_USER };

	if (sig < 0 || sig > NSIG || pid == 0 || pid == -1 || pid == INT32_MIN)
		return -EINVAL;
	return psig_kill_targets(mon, vnode, NULL, pid, sig, &rec) ? 0 : -ESRCH;
}

void psig_fpu_save(struct abi_thread *t, void *area)
{
	user_fpu_save(area);
}

void psig_fpu_restore(struct abi_thread *t, const void *area)
{
	user_fpu_load(area);
}

void psig_fpu_reset(struct abi_thread *t)
{
	user_fpu_reset();
}

bool psig_fault(struct pthread *th, int sig, int code, u64 addr)
{
	return abi_sig_fault(&th->abi, sig, code, addr);
}

/* A stop signal's default action: tell the parent, sleep until SIGCONT
 * or SIGKILL, tell the parent again if it was SIGCONT. A SIGCONT that
 * came after the stop signal was taken (conts moved) cancels the stop. */
static void psig_stop(struct pproc *p, int sig, u64 conts)
{
	bool stop;

	spin_lock(&p->abi.sig_lock);
	stop = p->conts == conts;
	p->stopped = stop;
	spin_unlock(&p->abi.sig_lock);
	if (!stop)
		return;
	pproc_report_stop(p, sig);
	wait_event(&p->stop_wq, !__atomic_load_n(&p->stopped, __ATOMIC_ACQUIRE));
	if (!(__atomic_load_n(&p->abi.shared.set, __ATOMIC_RELAXED) & SIGMASK(SIGKILL)))
		pproc_report_cont(p);
}

void psig_return(struct pthread *th, struct user_regs *regs, s64 syscall_nr)
{
	struct abi_sig_outcome out;
	u64 conts;

	for (;;) {
		conts = __atomic_load_n(&th->proc->conts, __ATOMIC_RELAXED);
		switch (abi_sig_deliver(&th->abi, regs, syscall_nr, &out)) {
		case ABI_DELIVER_STOP:
			if (out.sig == SIGSTOP || !ppgrp_orphaned(th->proc))
				psig_stop(th->proc, out.sig, conts);
			continue;
		case ABI_DELIVER_TERM:
		case ABI_DELIVER_CORE:
			pproc_exit(th->proc, PWSTATUS_SIG(out.sig), "");
		case ABI_DELIVER_HANDLER:
			/* As Linux: a frame for every signal that can be
			 * taken, each on top of the last, before user mode
			 * runs; the restart was settled with the first. */
			syscall_nr = -1;
			continue;
		default:
			return;
		}
	}
}
