/*
 * Durability and file system facts: fsync, fdatasync, sync, syncfs,
 * statfs, fstatfs. fdatasync is fsync (the file system commits data and
 * metadata together); sync and syncfs make every file durable.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/uapi/fcntl.h>
#include <tessera/uapi/statfs.h>

#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

/* fsync(fd) */
long sys_fsync(struct syscall_args *a)
{
	if ((s32)a->a[0] < 0)
		return -EBADF;
	return a->t->proc->ops->fsync(a->t, (int)a->a[0], false);
}

/* fdatasync(fd) */
long sys_fdatasync(struct syscall_args *a)
{
	if ((s32)a->a[0] < 0)
		return -EBADF;
	return a->t->proc->ops->fsync(a->t, (int)a->a[0], true);
}

/* sync(): always succeeds, as Linux's. */
long sys_sync(struct syscall_args *a)
{
	a->t->proc->ops->fsync(a->t, -1, false);
	return 0;
}

/* syncfs(fd): fd must be open. */
long sys_syncfs(struct syscall_args *a)
{
	long r;

	if ((s32)a->a[0] < 0)
		return -EBADF;
	r = a->t->proc->ops->fsync(a->t, (int)a->a[0], false);
	return r == -EINVAL ? 0 : r;
}

static long statfs_out(struct abi_thread *t, long r, const struct statfs *st, u64 ubuf)
{
	if (r < 0)
		return r;
	return abi_copy_out(t, ubuf, st, sizeof(*st));
}

/* statfs(path, buf) */
long sys_statfs(struct syscall_args *a)
{
	struct statfs st;
	char *path;
	long r = abi_path_in(a->t, a->a[0], &path);

	if (r < 0)
		return r;
	r = r ? a->t->proc->ops->statfs(a->t, AT_FDCWD, path, &st) : -ENOENT;
	kfree(path);
	return statfs_out(a->t, r, &st, a->a[1]);
}

/* fstatfs(fd, buf) */
long sys_fstatfs(struct syscall_args *a)
{
	struct statfs st;

	return statfs_out(a->t, a->t->proc->ops->statfs(a->t, (int)a->a[0], NULL, &st), &st,
			  a->a[1]);
}
