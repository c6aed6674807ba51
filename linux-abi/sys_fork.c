/*
 * fork, vfork, clone and clone3. clone's flags are checked as Linux checks
 * them (-EINVAL for combinations Linux refuses); of the valid ones the
 * pMonitor implements two kinds. A fork: an exit signal, CLONE_VFORK (with
 * or without CLONE_VM: the child gets a copy of the address space and the
 * parent waits until it execs or exits). A thread: CLONE_THREAD with
 * CLONE_VM, CLONE_SIGHAND, CLONE_FS and CLONE_FILES (what both libcs'
 * pthread_create ask for; the exit signal is ignored, as Linux does), and
 * CLONE_SYSVSEM (no System V semaphores exist to share). Both take
 * CLONE_SETTLS, the tid words, and CLONE_DETACHED/CLONE_UNTRACED, which
 * Linux ignores. Memory shared without CLONE_THREAD or CLONE_VFORK, and
 * namespaces, are -ENOSYS.
 */
#include <tessera/errno.h>
#include <tessera/string.h>
#include <tessera/uapi/sched.h>

#include "linux-abi/abi.h"
#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

#define CLONE_DONE (CLONE_VFORK | CLONE_VM | CLONE_SETTLS | CLONE_PARENT_SETTID | \
		    CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | CLONE_DETACHED |      \
		    CLONE_UNTRACED | CLONE_THREAD_KIND)
#define CLONE_THREAD_KIND (CLONE_THREAD | CLONE_SIGHAND | CLONE_FS | CLONE_FILES | CLONE_SYSVSEM)
#define CLONE_THREAD_NEEDS (CLONE_THREAD | CLONE_VM | CLONE_SIGHAND | CLONE_FS | CLONE_FILES)

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

/* Is c one of the two kinds the pMonitor makes? */
static bool clone_kind_done(const struct abi_clone *c)
{
	u64 f = c->flags;

	if (f & ~CLONE_DONE)
		return false;
	if (f & CLONE_THREAD)
		return (f & CLONE_THREAD_NEEDS) == CLONE_THREAD_NEEDS && !(f & CLONE_VFORK);
	if (f & (CLONE_SIGHAND | CLONE_FS | CLONE_FILES))
		return false;
	return !(f & CLONE_VM) || (f & CLONE_VFORK);
}

static long clone_run(struct syscall_args *a, struct abi_clone *c, u64 flags)
{
	if (!clone_valid(flags) || c->exit_signal > NSIG)
		return -EINVAL;
	if (!clone_kind_done(c) || !a->regs)
		return -ENOSYS;
	if (c->flags & CLONE_THREAD)
		c->exit_signal = 0;
	c->regs = a->regs;
	return a->t->proc->ops->clone(a->t, c);
}

static long do_clone(struct syscall_args *a, u64 flags, u64 stack)
{
	struct abi_clone c = {
		.flags = flags & ~CSIGNAL, .exit_signal = (u32)(flags & CSIGNAL),
		.stack = stack, .parent_tid = a->a[2], .child_tid = a->a[3], .tls = a->a[4],
	};

	return clone_run(a, &c, flags);
}

/* clone(flags, stack, parent_tid, child_tid, tls) */
long sys_clone(struct syscall_args *a)
{
	return do_clone(a, a->a[0], a->a[1]);
}

/* struct clone_args of clone3 (include/uapi/linux/sched.h). */
struct clone3_args {
	u64 flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	u64 set_tid, set_tid_size, cgroup;
};
_Static_assert(sizeof(struct clone3_args) == 88, "Linux's clone_args (ver 2)");
#define CLONE3_SIZE_VER0 64

/* Bytes of a bigger struct than ours must be zero (-E2BIG otherwise). */
static int clone3_tail_zero(struct abi_thread *t, u64 uargs, u64 size)
{
	u8 b[64];

	for (u64 off = sizeof(struct clone3_args); off < size; off += sizeof(b)) {
		u64 n = MIN((u64)sizeof(b), size - off);
		int err = abi_copy_in(t, b, uargs + off, n);

		if (err)
			return err;
		for (u64 i = 0; i < n; i++)
			if (b[i])
				return -E2BIG;
	}
	return 0;
}

static int clone3_read(struct abi_thread *t, u64 uargs, u64 size, struct clone3_args *ca)
{
	int err;

	if (size < CLONE3_SIZE_VER0)
		return -EINVAL;
	if (size > ABI_PAGE_SIZE)
		return -E2BIG;
	memset(ca, 0, sizeof(*ca));
	err = abi_copy_in(t, ca, uargs, MIN(size, (u64)sizeof(*ca)));
	return err ? err : clone3_tail_zero(t, uargs, size);
}

/* clone3(args, size): clone's kinds; the stack is a base and a size. */
long sys_clone3(struct syscall_args *a)
{
	struct clone3_args ca;
	struct abi_clone c;
	int err = clone3_read(a->t, a->a[0], a->a[1], &ca);

	if (err)
		return err;
	if ((ca.flags & CSIGNAL) || ca.exit_signal > NSIG || (ca.flags >> 32))
		return -EINVAL;
	if (!ca.stack != !ca.stack_size)
		return -EINVAL;
	if (ca.set_tid || ca.set_tid_size || ca.cgroup)
		return -ENOSYS;
	c = (struct abi_clone){ .flags = ca.flags, .exit_signal = (u32)ca.exit_signal,
				.stack = ca.stack + ca.stack_size, .parent_tid = ca.parent_tid,
				.child_tid = ca.child_tid, .tls = ca.tls };
	return clone_run(a, &c, ca.flags);
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
