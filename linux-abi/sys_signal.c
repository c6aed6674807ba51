/*
 * Signal syscalls: dispositions (rt_sigaction), masks (rt_sigprocmask),
 * what is pending (rt_sigpending), waiting for signals (pause,
 * rt_sigsuspend, rt_sigtimedwait), the alternate stack (sigaltstack) and
 * the return from a handler (rt_sigreturn). Delivery itself happens at the
 * return to user mode (abi_signal.c). SIGKILL and SIGSTOP can be neither
 * caught nor blocked.
 */
#include <tessera/errno.h>
#include <tessera/uapi/time.h>

#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

/* Forget pending instances of sig: its action became "ignore". sig_lock held. */
static void sig_discard_locked(struct abi_thread *t, int sig)
{
	abi_sig_forget_locked(&t->proc->shared, SIGMASK(sig));
	abi_sig_forget_locked(&t->pending, SIGMASK(sig));
}

static bool sig_action_ignores(const struct kernel_sigaction *ka, int sig)
{
	enum abi_sig_default d = abi_sig_default_action(sig);

	return ka->handler == SIG_IGN ||
	       (ka->handler == SIG_DFL && (d == ABI_SIGDFL_IGNORE || d == ABI_SIGDFL_CONT));
}

/* rt_sigaction(sig, act, oact, sigsetsize) */
long sys_rt_sigaction(struct syscall_args *a)
{
	struct abi_thread *t = a->t;
	struct abi_proc *p = t->proc;
	struct kernel_sigaction act, old;
	u64 sig = a->a[0];

	if (a->a[3] != sizeof(k_sigset_t) || sig < 1 || sig > NSIG)
		return -EINVAL;
	if (a->a[1] && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (a->a[1]) {
		if (abi_copy_in(t, &act, a->a[1], sizeof(act)))
			return -EFAULT;
		act.mask &= ~ABI_SIG_UNBLOCKABLE;
	}
	spin_lock(&p->sig_lock);
	old = p->sigactions[sig - 1];
	if (a->a[1]) {
		p->sigactions[sig - 1] = act;
		if (sig_action_ignores(&act, (int)sig))
			sig_discard_locked(t, (int)sig);
	}
	spin_unlock(&p->sig_lock);
	if (a->a[2])
		return abi_copy_out(t, a->a[2], &old, sizeof(old));
	return 0;
}

/* rt_sigprocmask(how, set, oset, sigsetsize) */
long sys_rt_sigprocmask(struct syscall_args *a)
{
	struct abi_thread *t = a->t;
	k_sigset_t old = t->sigmask, set;

	if (a->a[3] != sizeof(k_sigset_t))
		return -EINVAL;
	if (a->a[1]) {
		if (abi_copy_in(t, &set, a->a[1], sizeof(set)))
			return -EFAULT;
		if (a->a[0] == SIG_BLOCK)
			set |= old;
		else if (a->a[0] == SIG_UNBLOCK)
			set = old & ~set;
		else if (a->a[0] != SIG_SETMASK)
			return -EINVAL;
		abi_sig_set_mask(t, set);
	}
	if (a->a[2])
		return abi_copy_out(t, a->a[2], &old, sizeof(old));
	return 0;
}

/* rt_sigpending(set, sigsetsize): the blocked signals that are pending. */
long sys_rt_sigpending(struct syscall_args *a)
{
	struct abi_thread *t = a->t;
	k_sigset_t set;

	if (a->a[1] > sizeof(k_sigset_t))
		return -EINVAL;
	spin_lock(&t->proc->sig_lock);
	set = (t->pending.set | t->proc->shared.set) & t->sigmask;
	spin_unlock(&t->proc->sig_lock);
	return abi_copy_out(t, a->a[0], &set, a->a[1]);
}

/* Sleep until a signal t takes arrives. */
static void sig_wait_any(struct abi_thread *t)
{
	while (t->proc->ops->sig_sleep(t, 0, 0) != 0)
		;
}

/* pause() */
long sys_pause(struct syscall_args *a)
{
	sig_wait_any(a->t);
	return -ERESTARTNOHAND;
}

/* rt_sigsuspend(mask, sigsetsize): wait with mask, which stays until the
 * handler of the signal that ends the wait has returned. */
long sys_rt_sigsuspend(struct syscall_args *a)
{
	struct abi_thread *t = a->t;
	k_sigset_t mask;

	if (a->a[1] != sizeof(k_sigset_t))
		return -EINVAL;
	if (abi_copy_in(t, &mask, a->a[0], sizeof(mask)))
		return -EFAULT;
	t->saved_mask = t->sigmask;
	t->restore_mask = true;
	abi_sig_set_mask(t, mask);
	sig_wait_any(t);
	return -ERESTARTNOHAND;
}

/* A relative timeout as a time_ns() deadline: 0 and *deadline (now for a
 * zero timeout), -EFAULT or -EINVAL. */
static int sig_timeout(struct abi_thread *t, u64 uts, u64 *deadline)
{
	struct timespec ts;
	u64 now = t->proc->ops->clock_ns(t, ABI_CLOCK_MONOTONIC);

	if (abi_copy_in(t, &ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	if ((u64)ts.tv_sec > (~0ull - now) / NSEC_PER_SEC - 1)
		*deadline = ~0ull;
	else
		*deadline = now + (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
	return 0;
}

/* Take a pending signal of set: its number, copying its siginfo to uinfo. */
static long sig_take(struct abi_thread *t, k_sigset_t set, u64 uinfo)
{
	struct siginfo si;
	int sig;

	spin_lock(&t->proc->sig_lock);
	sig = abi_sig_dequeue_locked(t, set, &si);
	spin_unlock(&t->proc->sig_lock);
	if (sig && uinfo && abi_copy_out(t, uinfo, &si, sizeof(si)))
		return -EFAULT;
	return sig;
}

/* rt_sigtimedwait(set, info, timeout, sigsetsize) */
long sys_rt_sigtimedwait(struct syscall_args *a)
{
	struct abi_thread *t = a->t;
	u64 deadline = 0;
	k_sigset_t set;
	long sig;
	int err;

	if (a->a[3] != sizeof(k_sigset_t))
		return -EINVAL;
	if (abi_copy_in(t, &set, a->a[0], sizeof(set)))
		return -EFAULT;
	set &= ~ABI_SIG_UNBLOCKABLE;
	if (a->a[2] && (err = sig_timeout(t, a->a[2], &deadline)))
		return err;
	for (;;) {
		sig = sig_take(t, set, a->a[1]);
		if (sig)
			return sig;
		if (abi_sig_pending(t))
			return -EINTR;
		if (t->proc->ops->sig_sleep(t, set, deadline) == -ETIMEDOUT) {
			sig = sig_take(t, set, a->a[1]);
			return sig ? sig : -EAGAIN;
		}
	}
}

static int sig_altstack_set(struct abi_thread *t, const struct sigaltstack *ss, u64 sp)
{
	int mode = ss->ss_flags & ~(s32)SS_AUTODISARM;

	if (abi_sig_stack_flags(t, sp) == SS_ONSTACK)
		return -EPERM;
	if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
		return -EINVAL;
	if (mode == SS_DISABLE) {
		t->altstack = (struct sigaltstack){ .ss_flags = SS_DISABLE };
		return 0;
	}
	if (ss->ss_size < MINSIGSTKSZ)
		return -ENOMEM;
	t->altstack = (struct sigaltstack){ .ss_sp = ss->ss_sp, .ss_size = ss->ss_size,
					    .ss_flags = ss->ss_flags & (s32)SS_AUTODISARM };
	return 0;
}

/* sigaltstack(ss, old_ss) */
long sys_sigaltstack(struct syscall_args *a)
{
	struct abi_thread *t = a->t;
	u64 sp = a->regs ? a->regs->rsp : 0;
	struct sigaltstack old = t->altstack, ss;
	int err;

	old.ss_flags = abi_sig_stack_flags(t, sp) | (t->altstack.ss_flags & (s32)SS_AUTODISARM);
	if (a->a[0]) {
		if (abi_copy_in(t, &ss, a->a[0], sizeof(ss)))
			return -EFAULT;
		err = sig_altstack_set(t, &ss, sp);
		if (err)
			return err;
	}
	if (a->a[1])
		return abi_copy_out(t, a->a[1], &old, sizeof(old));
	return 0;
}

/* rt_sigreturn(): the registers, mask and FPU state the handler's frame
 * saved. A bad frame forces SIGSEGV. */
long sys_rt_sigreturn(struct syscall_args *a)
{
	a->no_restart = true;
	if (a->regs && !abi_sig_frame_restore(a->t, a->regs))
		return (long)a->regs->rax;
	abi_sig_force(a->t, SIGSEGV);
	return 0;
}
