/*
 * Files by path and by descriptor: open, openat, creat, close, lseek,
 * stat, lstat, fstat, newfstatat, getdents64. Paths are copied in here (into a
 * heap buffer: kernel stacks are small); the pMonitor's ops resolve them
 * and talk to the file backend.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/uapi/fcntl.h>

#include "linux-abi/abi.h"
#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

#define GETDENTS_MAX 4096 /* bytes of records packed per call */

static long do_open(struct abi_thread *t, int dirfd, u64 upath, u32 flags, u32 mode)
{
	char *path;
	long len = abi_path_in(t, upath, &path);

	if (len < 0)
		return len;
	flags |= O_LARGEFILE; /* always, on 64-bit Linux (force_o_largefile) */
	len = len ? t->proc->ops->open(t, dirfd, path, flags, abi_mode(t, mode)) : -ENOENT;
	kfree(path);
	return len;
}

/* open(path, flags, mode) */
long sys_open(struct syscall_args *a)
{
	return do_open(a->t, AT_FDCWD, a->a[0], (u32)a->a[1], (u32)a->a[2]);
}

/* openat(dirfd, path, flags, mode) */
long sys_openat(struct syscall_args *a)
{
	return do_open(a->t, (int)a->a[0], a->a[1], (u32)a->a[2], (u32)a->a[3]);
}

/* creat(path, mode) */
long sys_creat(struct syscall_args *a)
{
	return do_open(a->t, AT_FDCWD, a->a[0], O_CREAT | O_WRONLY | O_TRUNC, (u32)a->a[1]);
}

/* close(fd) */
long sys_close(struct syscall_args *a)
{
	return a->t->proc->ops->close(a->t, (int)a->a[0]);
}

/* lseek(fd, offset, whence) */
long sys_lseek(struct syscall_args *a)
{
	if (a->a[2] > SEEK_END)
		return -EINVAL;
	return a->t->proc->ops->lseek(a->t, (int)a->a[0], (s64)a->a[1], (int)a->a[2]);
}

static long stat_out(struct abi_thread *t, int r, const struct stat *st, u64 ubuf)
{
	if (r < 0)
		return r;
	return abi_copy_out(t, ubuf, st, sizeof(*st));
}

/* fstat(fd, buf) */
long sys_fstat(struct syscall_args *a)
{
	struct stat st;

	return stat_out(a->t, a->t->proc->ops->fstat(a->t, (int)a->a[0], &st), &st, a->a[1]);
}

long abi_stat_at(struct abi_thread *t, int dirfd, u64 upath, u32 flags, struct stat *st)
{
	char *path;
	long len = abi_path_in(t, upath, &path);

	if (len < 0)
		return len;
	if (len == 0 && (flags & AT_EMPTY_PATH))
		len = t->proc->ops->fstat(t, dirfd, st);
	else if (len == 0)
		len = -ENOENT;
	else
		len = t->proc->ops->stat(t, dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), st);
	kfree(path);
	return len;
}

static long do_stat(struct abi_thread *t, int dirfd, u64 upath, u64 ubuf, u32 flags)
{
	struct stat st;

	return stat_out(t, (int)abi_stat_at(t, dirfd, upath, flags, &st), &st, ubuf);
}

/* stat(path, buf) */
long sys_stat(struct syscall_args *a)
{
	return do_stat(a->t, AT_FDCWD, a->a[0], a->a[1], 0);
}

/* lstat(path, buf) */
long sys_lstat(struct syscall_args *a)
{
	return do_stat(a->t, AT_FDCWD, a->a[0], a->a[1], AT_SYMLINK_NOFOLLOW);
}

/* newfstatat(dirfd, path, buf, flags) */
long sys_newfstatat(struct syscall_args *a)
{
	if (a->a[3] & ~(u64)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	return do_stat(a->t, (int)a->a[0], a->a[1], a->a[2], (u32)a->a[3]);
}

/* getdents64(fd, buf, count): records are packed in the bounce buffer. */
long sys_getdents64(struct syscall_args *a)
{
	struct abi_thread *t = a->t;
	u64 len = MIN(a->a[2], (u64)MIN(t->iobuf_size, GETDENTS_MAX));
	long r;

	if (!abi_user_range_ok(a->a[1], a->a[2]))
		return -EFAULT;
	r = t->proc->ops->getdents(t, (int)a->a[0], t->iobuf, len);
	if (r > 0 && abi_copy_out(t, a->a[1], t->iobuf, r))
		return -EFAULT;
	return r;
}
