/* pipe and pipe2: the process interface makes the pipe; the two fds go
 * to the user as int[2]. If they cannot be written the fds are closed
 * again, so a bad pointer leaks nothing. */
#include <tessera/errno.h>
#include <tessera/uapi/fcntl.h>

#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

#define PIPE2_FLAGS (O_CLOEXEC | O_NONBLOCK)

static long do_pipe(struct abi_thread *t, u64 ufds, u64 flags)
{
	const struct abi_proc_ops *ops = t->proc->ops;
	int fds[2];
	int err;

	if (flags & ~(u64)PIPE2_FLAGS)
		return -EINVAL;
	err = ops->pipe(t, (u32)flags, fds);
	if (err)
		return err;
	if (abi_copy_out(t, ufds, fds, sizeof(fds))) {
		ops->close(t, fds[0]);
		ops->close(t, fds[1]);
		return -EFAULT;
	}
	return 0;
}

/* pipe(fds) */
long sys_pipe(struct syscall_args *a)
{
	return do_pipe(a->t, a->a[0], 0);
}

/* pipe2(fds, flags) */
long sys_pipe2(struct syscall_args *a)
{
	return do_pipe(a->t, a->a[0], a->a[1]);
}
