/*
 * Signal state (abi_signal.h): posting, dequeuing, default actions, and
 * the decision made at each return to user mode. Locking: the process's
 * sig_lock guards actions, pending sets and thread masks; no user copy
 * is made under it (the frame is written after it is dropped).
 */
#include <tessera/errno.h>
#include <tessera/string.h>
#include <tessera/uapi/unistd.h>

#include "linux-abi/abi_proc.h"
#include "linux-abi/abi_signal.h"

/* Signals a fault raises, taken before any other (Linux's SYNCHRONOUS_MASK). */
#define ABI_SIG_SYNC (SIGMASK(SIGSEGV) | SIGMASK(SIGBUS) | SIGMASK(SIGILL) | \
		      SIGMASK(SIGTRAP) | SIGMASK(SIGFPE) | SIGMASK(SIGSYS))

enum abi_sig_default abi_sig_default_action(int sig)
{
	switch (sig) {
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS:
	case SIGFPE: case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
		return ABI_SIGDFL_CORE;
	case SIGCHLD: case SIGURG: case SIGWINCH:
		return ABI_SIGDFL_IGNORE;
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return ABI_SIGDFL_STOP;
	case SIGCONT:
		return ABI_SIGDFL_CONT;
	default:
		return ABI_SIGDFL_TERM;
	}
}

static const struct kernel_sigaction *abi_sig_action(const struct abi_proc *p, int sig)
{
	return &p->sigactions[sig - 1];
}

/* p would do nothing with sig, were it taken now. */
static bool abi_sig_ignored(const struct abi_proc *p, int sig)
{
	u64 h = abi_sig_action(p, sig)->handler;

	if (h == SIG_IGN)
		return sig != SIGKILL && sig != SIGSTOP;
	return h == SIG_DFL && (abi_sig_default_action(sig) == ABI_SIGDFL_IGNORE ||
				abi_sig_default_action(sig) == ABI_SIGDFL_CONT);
}

void abi_sig_forget_locked(struct abi_sigpending *q, k_sigset_t drop)
{
	u32 kept = 0;

	q->set &= ~drop;
	for (u32 i = 0; i < q->nq; i++) {
		if (drop & SIGMASK(q->qsig[i]))
			continue;
		q->qsig[kept] = q->qsig[i];
		q->q[kept++] = q->q[i];
	}
	q->nq = kept;
}

static void abi_sig_discard(struct abi_proc *p, struct abi_thread *t, k_sigset_t drop)
{
	abi_sig_forget_locked(&p->shared, drop);
	if (t)
		abi_sig_forget_locked(&t->pending, drop);
}

/* One more instance of the real-time signal sig, already pending in q;
 * dropped when the queue is full. */
static void abi_sig_enqueue(struct abi_sigpending *q, int sig, const struct abi_sigrec *rec)
{
	if (sig < SIGRTMIN || q->nq == ABI_SIGQUEUE_MAX)
		return;
	q->qsig[q->nq] = (u8)sig;
	q->q[q->nq++] = *rec;
}

/* abi_sig_post, with mask the signals blocked where sig goes. */
static bool abi_sig_post_masked(struct abi_proc *p, struct abi_thread *t, k_sigset_t mask,
				int sig, const struct abi_sigrec *rec)
{
	struct abi_sigpending *q = t ? &t->pending : &p->shared;
	k_sigset_t bit = SIGMASK(sig);
	bool blocked = mask & bit;

	if (sig == SIGCONT)
		abi_sig_discard(p, t, ABI_SIG_STOPS);
	else if (bit & ABI_SIG_STOPS)
		abi_sig_discard(p, t, SIGMASK(SIGCONT));
	if (!blocked && abi_sig_ignored(p, sig))
		return false;
	if (!(q->set & bit)) {
		q->set |= bit;
		q->rec[sig - 1] = *rec;
	} else {
		abi_sig_enqueue(q, sig, rec);
	}
	return true;
}

bool abi_sig_post(struct abi_proc *p, struct abi_thread *t, int sig,
		  const struct abi_sigrec *rec)
{
	return abi_sig_post_masked(p, t, t ? t->sigmask : 0, sig, rec);
}

bool abi_sig_post_proc(struct abi_proc *p, const struct abi_thread *leader, int sig,
		       const struct abi_sigrec *rec)
{
	return abi_sig_post_masked(p, NULL, leader->sigmask, sig, rec);
}

bool abi_sig_wakes(const struct abi_thread *t, int sig)
{
	k_sigset_t bit = SIGMASK(sig);

	return t->sleeping && (!(t->sigmask & bit) || (t->wait_extra & bit));
}

k_sigset_t abi_sig_interrupts_locked(const struct abi_thread *t)
{
	k_sigset_t pending = t->pending.set | t->proc->shared.set;

	return pending & (~t->sigmask | (t->sleeping ? t->wait_extra : 0));
}

bool abi_sig_pending(struct abi_thread *t)
{
	struct abi_proc *p = t->proc;
	k_sigset_t set;

	spin_lock(&p->sig_lock);
	set = (t->pending.set | p->shared.set) & ~t->sigmask;
	spin_unlock(&p->sig_lock);
	return set != 0;
}

void abi_sig_set_mask(struct abi_thread *t, k_sigset_t mask)
{
	spin_lock(&t->proc->sig_lock);
	t->sigmask = mask & ~ABI_SIG_UNBLOCKABLE;
	spin_unlock(&t->proc->sig_lock);
}

static bool abi_sig_is_fault(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
	       sig == SIGTRAP;
}

static void abi_sig_info(int sig, const struct abi_sigrec *r, struct siginfo *si)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = r->code;
	if (abi_sig_is_fault(sig) && r->code > 0) {
		si->u.addr = r->addr;
		return;
	}
	si->u.proc.pid = r->pid;
	si->u.proc.uid = r->uid;
	if (sig == SIGCHLD && r->code > 0)
		si->u.proc.status = r->status;
	else if (r->code < 0)
		si->u.rt.value = r->addr; /* SI_QUEUE and the others of rt_sigqueueinfo */
}

/* The lowest signal of set, faults first. */
static int abi_sig_pick(k_sigset_t set)
{
	k_sigset_t sync = set & ABI_SIG_SYNC;

	if (!set)
		return 0;
	return __builtin_ctzll(sync ? sync : set) + 1;
}

static int abi_sig_take(struct abi_sigpending *q, k_sigset_t mask, struct siginfo *si)
{
	int sig = abi_sig_pick(q->set & mask);

	if (!sig)
		return 0;
	abi_sig_info(sig, &q->rec[sig - 1], si);
	q->set &= ~SIGMASK(sig);
	for (u32 i = 0; i < q->nq; i++) {
		if (q->qsig[i] != sig)
			continue;
		q->rec[sig - 1] = q->q[i];
		q->set |= SIGMASK(sig);
		memmove(&q->qsig[i], &q->qsig[i + 1], q->nq - i - 1);
		memmove(&q->q[i], &q->q[i + 1], (q->nq - i - 1) * sizeof(q->q[0]));
		q->nq--;
		break;
	}
	return sig;
}

int abi_sig_dequeue_locked(struct abi_thread *t, k_sigset_t mask, struct siginfo *si)
{
	int sig = abi_sig_take(&t->pending, mask, si);

	return sig ? sig : abi_sig_take(&t->proc->shared, mask, si);
}

void abi_sig_raise(struct abi_thread *t, int sig)
{
	struct abi_proc *p = t->proc;
	struct abi_sigrec rec = { .code = SI_USER, .pid = p->pid, .uid = p->uid };

	spin_lock(&p->sig_lock);
	abi_sig_post(p, NULL, sig, &rec);
	spin_unlock(&p->sig_lock);
}

bool abi_sig_fault(struct abi_thread *t, int sig, int code, u64 addr)
{
	struct abi_proc *p = t->proc;
	struct abi_sigrec rec = { .code = code, .addr = addr };
	u64 h;
	bool caught;

	spin_lock(&p->sig_lock);
	h = abi_sig_action(p, sig)->handler;
	caught = h != SIG_DFL && h != SIG_IGN && !(t->sigmask & SIGMASK(sig));
	if (caught)
		abi_sig_post(p, t, sig, &rec);
	spin_unlock(&p->sig_lock);
	return caught;
}

void abi_sig_force(struct abi_thread *t, int sig)
{
	struct abi_proc *p = t->proc;
	struct kernel_sigaction *a = &p->sigactions[sig - 1];
	struct abi_sigrec rec = { .code = SI_KERNEL };

	spin_lock(&p->sig_lock);
	if (a->handler == SIG_IGN || (t->sigmask & SIGMASK(sig))) {
		a->handler = SIG_DFL;
		t->sigmask &= ~SIGMASK(sig);
	}
	abi_sig_post(p, t, sig, &rec);
	spin_unlock(&p->sig_lock);
}

/* A syscall's result once the signal that interrupted it was handled
 * (handler) or not (no handler ran): a restart, or -EINTR. */
static void abi_sig_restart(struct user_regs *regs, s64 nr, const struct kernel_sigaction *ka)
{
	s64 ret = (s64)regs->rax;
	bool restart = false;

	if (nr < 0)
		return;
	if (ret == -ERESTARTNOINTR)
		restart = true;
	else if (ret == -ERESTARTSYS)
		restart = !ka || (ka->flags & SA_RESTART);
	else if (ret == -ERESTARTNOHAND || ret == -ERESTART_RESTARTBLOCK)
		restart = !ka;
	else
		return;
	if (!restart) {
		regs->rax = (u64)-EINTR;
		return;
	}
	regs->rax = ret == -ERESTART_RESTARTBLOCK ? (u64)__NR_restart_syscall : (u64)nr;
	regs->rip -= 2; /* the syscall instruction */
}

/* The next signal t takes, with its action copied out (and reset first
 * for SA_RESETHAND); 0 if none. Default actions that do nothing are
 * consumed here. sig_lock held. */
static int abi_sig_next_locked(struct abi_thread *t, struct abi_sig_outcome *out,
			       struct kernel_sigaction *ka)
{
	struct abi_proc *p = t->proc;
	int sig;

	while ((sig = abi_sig_dequeue_locked(t, ~t->sigmask, &out->si))) {
		struct kernel_sigaction *a = &p->sigactions[sig - 1];
		enum abi_sig_default d = abi_sig_default_action(sig);

		*ka = *a;
		if (a->handler == SIG_IGN)
			continue;
		if (a->handler == SIG_DFL && (d == ABI_SIGDFL_IGNORE || d == ABI_SIGDFL_CONT))
			continue;
		if (a->handler != SIG_DFL && (a->flags & SA_RESETHAND))
			a->handler = SIG_DFL;
		return sig;
	}
	return 0;
}

static enum abi_deliver abi_sig_default(int sig)
{
	switch (abi_sig_default_action(sig)) {
	case ABI_SIGDFL_CORE:
		return ABI_DELIVER_CORE;
	case ABI_SIGDFL_STOP:
		return ABI_DELIVER_STOP;
	default:
		return ABI_DELIVER_TERM;
	}
}

/* Run ka's handler for sig: the frame, then the handler's mask. */
static enum abi_deliver abi_sig_run_handler(struct abi_thread *t, struct user_regs *regs,
					    s64 nr, const struct kernel_sigaction *ka,
					    struct abi_sig_outcome *out)
{
	k_sigset_t old = t->restore_mask ? t->saved_mask : t->sigmask;
	k_sigset_t mask = t->sigmask | ka->mask;

	if (!(ka->flags & SA_NODEFER))
		mask |= SIGMASK(out->sig);
	abi_sig_restart(regs, nr, ka);
	if (abi_sig_frame_setup(t, regs, out->sig, &out->si, ka, old)) {
		out->sig = SIGSEGV;
		return ABI_DELIVER_CORE;
	}
	t->restore_mask = false;
	abi_sig_set_mask(t, mask);
	return ABI_DELIVER_HANDLER;
}

enum abi_deliver abi_sig_deliver(struct abi_thread *t, struct user_regs *regs, s64 syscall_nr,
				 struct abi_sig_outcome *out)
{
	struct abi_proc *p = t->proc;
	struct kernel_sigaction ka;

	spin_lock(&p->sig_lock);
	out->sig = abi_sig_next_locked(t, out, &ka);
	spin_unlock(&p->sig_lock);
	if (out->sig && ka.handler != SIG_DFL)
		return abi_sig_run_handler(t, regs, syscall_nr, &ka, out);
	if (out->sig)
		return abi_sig_default(out->sig);
	abi_sig_restart(regs, syscall_nr, NULL);
	if (t->restore_mask) {
		t->restore_mask = false;
		abi_sig_set_mask(t, t->saved_mask);
	}
	return ABI_DELIVER_NONE;
}
