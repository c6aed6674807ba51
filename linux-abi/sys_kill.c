/*
 * Sending signals: kill, tkill, tgkill. The pMonitor finds the targets
 * (abi_proc_ops.kill); a process has one thread, whose id is the
 * process's, so a thread-directed signal goes to that process.
 */
#include <tessera/errno.h>

#include "linux-abi/syscalls.h"

static bool sig_ok(u64 sig)
{
	return sig <= NSIG;
}

/* kill(pid, sig): Linux looks for the targets before it checks sig, so
 * a bad signal to no process is -ESRCH, to some -EINVAL. */
long sys_kill(struct syscall_args *a)
{
	long r;

	if (sig_ok(a->a[1]))
		return a->t->proc->ops->kill(a->t, (s32)a->a[0], (int)a->a[1], SI_USER);
	r = a->t->proc->ops->kill(a->t, (s32)a->a[0], 0, SI_USER);
	return r == -ESRCH ? r : -EINVAL;
}

/* tkill(tid, sig) */
long sys_tkill(struct syscall_args *a)
{
	if ((s32)a->a[0] <= 0 || !sig_ok(a->a[1]))
		return -EINVAL;
	return a->t->proc->ops->kill(a->t, (s32)a->a[0], (int)a->a[1], SI_TKILL);
}

/* tgkill(tgid, tid, sig): tid must be a thread of tgid. */
long sys_tgkill(struct syscall_args *a)
{
	s32 tgid = (s32)a->a[0], tid = (s32)a->a[1];

	if (tgid <= 0 || tid <= 0 || !sig_ok(a->a[2]))
		return -EINVAL;
	if (tgid != tid)
		return -ESRCH;
	return a->t->proc->ops->kill(a->t, tid, (int)a->a[2], SI_TKILL);
}
