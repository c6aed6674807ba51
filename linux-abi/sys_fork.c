/*
 * fork, vfork and clone used as fork. clone's flags are checked as Linux
 * checks them (-EINVAL for combinations Linux refuses); of the valid ones
 * the pMonitor implements the fork kind: an exit signal, CLONE_VFORK (with
 * or without CLONE_VM: the child gets a copy of the address space and the
 * parent waits until it execs or exits), CLONE_SETTLS, the tid words, and
 * CLONE_DETACHED/CLONE_UNTRACED, which Linux ignores. Threads and
 * namespaces give -ENOSYS until they exist. clone3 is -ENOSYS, so glibc
 * falls back to clone.
 */
#include <tessera/errno.h>
#include <tessera/uapi/sched.h>

#include "linux-abi/syscalls.h"

#define CLONE_DONE (CLONE_VFORK | CLONE_VM | CLONE_SETTLS | CLONE_PARENT_SETTID | \
		    CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | CLONE_DETACHED |      \
		    CLONE_UNTRACED)

/* Linux's copy_process checks. */
static bool clone_valid(u64 f)
{
	if ((f & CLONE_THREAD) && !(f & CLONE_SIGHAND))
		return false;
	if ((f & CLONE_SIGHAND) && !(f & CLONE_VM))
		return false;
	if ((f & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS))
		return false;
	if ((f & (CLONE_NEWUSER | CLONE_FS)) == (CLONE_NEWUSER | CLONE_FS))
		return false;
	if ((f & CLONE_PIDFD) && (f & (CLONE_DETACHED | CLONE_THREAD)))
		return false;
	return !(f >> 32);
}

static long do_clone(struct syscall_args *a, u64 flags, u64 stack)
{
	struct abi_clone c = {
		.flags = flags & ~CSIGNAL, .exit_signal = (u32)(flags & CSIGNAL),
		.stack = stack, .parent_tid = a->a[2], .child_tid = a->a[3], .tls = a->a[4],
		.regs = a->regs,
	};

	if (!clone_valid(flags) || c.exit_signal > NSIG)
		return -EINVAL;
	if (c.flags & ~CLONE_DONE)
		return -ENOSYS;
	if ((c.flags & CLONE_VM) && !(c.flags & CLONE_VFORK))
		return -ENOSYS; /* a thread: shared memory without vfork's wait */
	if (!a->regs)
		return -ENOSYS;
	return a->t->proc->ops->clone(a->t, &c);
}

/* clone(flags, stack, parent_tid, child_tid, tls) */
long sys_clone(struct syscall_args *a)
{
	return do_clone(a, a->a[0], a->a[1]);
}

/* fork() */
long sys_fork(struct syscall_args *a)
{
	a->a[2] = a->a[3] = a->a[4] = 0;
	return do_clone(a, SIGCHLD, 0);
}

/* vfork() */
long sys_vfork(struct syscall_args *a)
{
	a->a[2] = a->a[3] = a->a[4] = 0;
	return do_clone(a, CLONE_VFORK | CLONE_VM | SIGCHLD, 0);
}
