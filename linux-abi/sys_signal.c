/*
 * Signal dispositions and masks, recorded for the pMonitor's delivery
 * code to read: rt_sigaction keeps the process's handler table (under
 * sig_lock), rt_sigprocmask the calling thread's blocked set. SIGKILL and
 * SIGSTOP can be neither caught nor blocked.
 */
#include <tessera/errno.h>

#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

#define UNBLOCKABLE (SIGMASK(SIGKILL) | SIGMASK(SIGSTOP))

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
		act.mask &= ~UNBLOCKABLE;
	}
	spin_lock(&p->sig_lock);
	old = p->sigactions[sig - 1];
	if (a->a[1])
		p->sigactions[sig - 1] = act;
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
		set &= ~UNBLOCKABLE;
		if (a->a[0] == SIG_BLOCK)
			t->sigmask |= set;
		else if (a->a[0] == SIG_UNBLOCK)
			t->sigmask &= ~set;
		else if (a->a[0] == SIG_SETMASK)
			t->sigmask = set;
		else
			return -EINVAL;
	}
	if (a->a[2])
		return abi_copy_out(t, a->a[2], &old, sizeof(old));
	return 0;
}
