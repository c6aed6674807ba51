/*
 * Sending signals: kill and rt_sigqueueinfo to processes (abi_proc_ops.kill,
 * sigqueue), tkill and tgkill to one thread (abi_proc_ops.tkill);
 * rt_tgsigqueueinfo goes to the process, for its first thread only (tid
 * equal to tgid).
 */
#include <tessera/errno.h>

#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

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
	return a->t->proc->ops->tkill(a->t, 0, (s32)a->a[0], (int)a->a[1]);
}

/* tgkill(tgid, tid, sig): tid must be a thread of tgid. */
long sys_tgkill(struct syscall_args *a)
{
	s32 tgid = (s32)a->a[0], tid = (s32)a->a[1];

	if (tgid <= 0 || tid <= 0 || !sig_ok(a->a[2]))
		return -EINVAL;
	return a->t->proc->ops->tkill(a->t, tgid, tid, (int)a->a[2]);
}

/* The siginfo a caller of rt_sigqueueinfo gives for pid: Linux lets only
 * a process signalling itself claim a kernel or kill() origin (si_code
 * >= 0 or SI_TKILL). 0, -EFAULT or -EPERM. */
static int queue_info(struct abi_thread *t, s32 pid, u64 uinfo, struct abi_sigrec *rec)
{
	struct siginfo si;

	if (abi_copy_in(t, &si, uinfo, sizeof(si)))
		return -EFAULT;
	if ((si.si_code >= 0 || si.si_code == SI_TKILL) && (u32)pid != t->proc->pid)
		return -EPERM;
	*rec = (struct abi_sigrec){ .code = si.si_code, .pid = si.u.rt.pid, .uid = si.u.rt.uid,
				    .addr = si.u.rt.value };
	return 0;
}

static long queue_to(struct abi_thread *t, s32 pid, u64 sig, u64 uinfo)
{
	struct abi_sigrec rec;
	long r = queue_info(t, pid, uinfo, &rec);

	if (r)
		return r;
	if (sig_ok(sig))
		return t->proc->ops->sigqueue(t, pid, (int)sig, &rec);
	r = t->proc->ops->sigqueue(t, pid, 0, &rec);
	return r == -ESRCH ? r : -EINVAL;
}

/* rt_sigqueueinfo(tgid, sig, uinfo) */
long sys_rt_sigqueueinfo(struct syscall_args *a)
{
	return queue_to(a->t, (s32)a->a[0], a->a[1], a->a[2]);
}

/* rt_tgsigqueueinfo(tgid, tid, sig, uinfo): tid must be a thread of tgid. */
long sys_rt_tgsigqueueinfo(struct syscall_args *a)
{
	s32 tgid = (s32)a->a[0], tid = (s32)a->a[1];

	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	if (tgid != tid)
		return -ESRCH;
	return queue_to(a->t, tid, a->a[2], a->a[3]);
}
