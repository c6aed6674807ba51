/*
 * Waiting for children (the wait op of linux-abi/abi_proc.h, behind wait4
 * and waitid), the stop and continue reports a parent's wait sees, and a
 * launch waiting for its first process (pproc_wait). A wait scans the
 * caller's children under mon->lock; a zombie it takes is unlinked there
 * and freed after the lock is dropped (its thread joined). Every change a
 * parent could wait for bumps its child_events and wakes child_wq.
 */
#include <tessera/errno.h>
#include <tessera/thread.h>
#include <tessera/uapi/wait.h>

#include "processor/proc/proc.h"
#include "processor/proc/signal.h"

/* Is child c one that (idtype, id) names? */
static bool pwait_matches(const struct pproc *c, int idtype, s32 id)
{
	if (idtype == ABI_P_PID)
		return c->pid == (u32)id;
	if (idtype == ABI_P_PGID)
		return c->abi.pgid == (u32)id;
	return true;
}

/* Linux's rule for the kind of child: one whose exit signal is not
 * SIGCHLD (a "clone" child) is waited for only with __WCLONE, the others
 * only without it; __WALL takes both. */
static bool pwait_kind_ok(const struct pproc *c, u32 options)
{
	if (options & ABI_WALL)
		return true;
	return (c->exit_signal != SIGCHLD) == !!(options & ABI_WCLONE);
}

static void pwait_fill(const struct pproc *c, s32 code, s32 status, struct abi_wait_result *out)
{
	u64 ran = c->state == PPROC_ZOMBIE ? c->end_ns - c->start_ns : 0;

	*out = (struct abi_wait_result){ .pid = c->pid, .uid = c->abi.uid, .code = code,
					 .status = status, .utime_ns = ran };
}

/* What c has for a wait with options, if anything: its report in *out
 * (consumed unless WNOWAIT) and true. mon->lock held. */
static bool pwait_take(struct pproc *c, u32 options, struct abi_wait_result *out)
{
	bool keep = options & ABI_WNOWAIT;
	int w = c->wstatus;

	if (c->state == PPROC_ZOMBIE && (options & ABI_WEXITED)) {
		s32 code = (w & 0x7f) == 0 ? CLD_EXITED : (w & 0x80) ? CLD_DUMPED : CLD_KILLED;

		pwait_fill(c, code, (w & 0x7f) == 0 ? (w >> 8) & 0xff : w & 0x7f, out);
		return true;
	}
	if ((c->wait_report & PPROC_REPORT_STOP) && (options & ABI_WSTOPPED)) {
		pwait_fill(c, CLD_STOPPED, (s32)(c->wait_report & 0xff), out);
		if (!keep)
			c->wait_report = 0;
		return true;
	}
	if ((c->wait_report & PPROC_REPORT_CONT) && (options & ABI_WCONTINUED)) {
		pwait_fill(c, CLD_CONTINUED, SIGCONT, out);
		if (!keep)
			c->wait_report = 0;
		return true;
	}
	return false;
}

/* One scan: 1 with *out (and *reap, a zombie to free, unlinked), 0 if a
 * matching child has nothing yet, -ECHILD if none matches. */
static int pwait_scan(struct pproc *self, int idtype, s32 id, u32 options,
		      struct abi_wait_result *out, struct pproc **reap, u64 *events)
{
	struct list_node *n;
	int found = -ECHILD;

	spin_lock(&self->mon->lock);
	*events = self->child_events;
	list_for_each(n, &self->children) {
		struct pproc *c = list_entry(n, struct pproc, sibling);

		if (!pwait_matches(c, idtype, id) || !pwait_kind_ok(c, options))
			continue;
		found = 0;
		if (!pwait_take(c, options, out))
			continue;
		if (c->state == PPROC_ZOMBIE && !(options & ABI_WNOWAIT)) {
			list_del(&c->sibling);
			list_del(&c->link);
			self->cutime_ns += c->end_ns - c->start_ns + c->cutime_ns;
			*reap = c;
		}
		found = 1;
		break;
	}
	spin_unlock(&self->mon->lock);
	return found;
}

static bool pwait_changed(struct pproc *self, u64 seen)
{
	return __atomic_load_n(&self->child_events, __ATOMIC_ACQUIRE) != seen;
}

int pwait_child(struct abi_thread *t, int idtype, s32 id, u32 options,
		struct abi_wait_result *out)
{
	struct pproc *self = t->proc->priv, *reap = NULL;
	u64 seen;
	int r;

	for (;;) {
		r = pwait_scan(self, idtype, id, options, out, &reap, &seen);
		if (r > 0) {
			if (reap)
				pproc_free(reap);
			return (int)out->pid;
		}
		if (r < 0 || (options & ABI_WNOHANG))
			return r;
		r = psig_wait_event(&self->child_wq, pwait_changed(self, seen), 0);
		if (r)
			return r;
	}
}

/* Tell p's parent (if any) about a stop (sig) or a continue (sig 0). */
static void pwait_report(struct pproc *p, int sig)
{
	struct abi_sigrec rec = { .code = sig ? CLD_STOPPED : CLD_CONTINUED, .pid = p->pid,
				  .uid = p->abi.uid, .status = sig ? sig : SIGCONT };
	struct pproc *parent;
	bool quiet = false;

	spin_lock(&p->mon->lock);
	p->wait_report = sig ? PPROC_REPORT_STOP | (u32)sig : PPROC_REPORT_CONT;
	parent = p->parent;
	if (parent) {
		spin_lock(&parent->abi.sig_lock);
		quiet = parent->abi.sigactions[SIGCHLD - 1].flags & SA_NOCLDSTOP;
		spin_unlock(&parent->abi.sig_lock);
		if (!quiet)
			psig_send(parent, SIGCHLD, &rec);
		parent->child_events++;
		wake_up_all(&parent->child_wq);
	}
	spin_unlock(&p->mon->lock);
}

void pproc_report_stop(struct pproc *p, int sig)
{
	pwait_report(p, sig);
}

void pproc_report_cont(struct pproc *p)
{
	pwait_report(p, 0);
}

static bool pproc_exited(struct pproc *p)
{
	bool done;

	spin_lock(&p->mon->lock);
	done = p->exited;
	spin_unlock(&p->mon->lock);
	return done;
}

int pproc_wait(struct pproc *p)
{
	wait_event(&p->exit_wq, pproc_exited(p));
	if (p->kthread)
		thread_join(p->kthread);
	p->kthread = NULL;
	return p->exit_status;
}
