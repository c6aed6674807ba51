/*
 * Descriptor bookkeeping: dup, dup2, dup3, fcntl (descriptor and status
 * flags, F_DUPFD), and sendfile, with a fixed answer in this system
 * (-EINVAL: callers such as busybox cat then fall back to read and
 * write).
 */
#include <tessera/errno.h>
#include <tessera/uapi/fcntl.h>

#include "linux-abi/abi.h"
#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

/* dup(fd) */
long sys_dup(struct syscall_args *a)
{
	return a->t->proc->ops->dup(a->t, (int)a->a[0], -1, false);
}

/* dup2(old, new): new == old only checks that old is open. */
long sys_dup2(struct syscall_args *a)
{
	int oldfd = (int)a->a[0], newfd = (int)a->a[1];

	if (newfd < 0)
		return -EBADF;
	return a->t->proc->ops->dup(a->t, oldfd, newfd, false);
}

/* dup3(old, new, flags) */
long sys_dup3(struct syscall_args *a)
{
	int oldfd = (int)a->a[0], newfd = (int)a->a[1];

	if (a->a[2] & ~(u64)O_CLOEXEC || oldfd == newfd)
		return -EINVAL;
	if (newfd < 0)
		return -EBADF;
	return a->t->proc->ops->dup(a->t, oldfd, newfd, a->a[2] & O_CLOEXEC);
}

/* F_DUPFD's argument is unsigned, as Linux reads it: one at or past the
 * descriptor limit (a negative int among them) is EINVAL. */
static long fcntl_dupfd(struct abi_thread *t, int fd, u64 min, bool cloexec)
{
	const struct abi_proc_ops *ops = t->proc->ops;
	int newfd, r;

	if (ops->get_cloexec(t, fd) < 0)
		return -EBADF;
	if (min >= ABI_NOFILE)
		return -EINVAL;
	for (newfd = (int)min; newfd < ABI_NOFILE; newfd++)
		if (ops->get_cloexec(t, newfd) == -EBADF)
			break;
	r = ops->dup(t, fd, newfd, cloexec);
	return r == -EBADF ? -EMFILE : r;
}

/* fcntl(fd, cmd, arg) */
long sys_fcntl(struct syscall_args *a)
{
	struct abi_thread *t = a->t;
	int fd = (int)a->a[0];

	switch (a->a[1]) {
	case F_GETFD:
		return t->proc->ops->get_cloexec(t, fd);
	case F_SETFD:
		return t->proc->ops->set_cloexec(t, fd, a->a[2] & FD_CLOEXEC);
	case F_GETFL:
		return t->proc->ops->fd_flags(t, fd);
	case F_SETFL:
		return t->proc->ops->set_fd_flags(t, fd, (u32)a->a[2]);
	case F_DUPFD:
		return fcntl_dupfd(t, fd, a->a[2], false);
	case F_DUPFD_CLOEXEC:
		return fcntl_dupfd(t, fd, a->a[2], true);
	case F_GETPIPE_SZ:
		return t->proc->ops->pipe_size(t, fd);
	default:
		return -EINVAL;
	}
}

/* sendfile(out, in, offset, count) */
long sys_sendfile(struct syscall_args *a)
{
	return -EINVAL;
}
