/*
 * Attributes: chmod, fchmod, fchmodat, chown, fchown, lchown, fchownat,
 * truncate, ftruncate, utime, utimes, futimesat, utimensat. Each becomes
 * one setattr op on a path (or on an open file) with the fields it
 * changes; times are checked and turned into nanoseconds here, as Linux's
 * utimensat does (UTIME_NOW, UTIME_OMIT, a NULL array for "now").
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/uapi/fcntl.h>
#include <tessera/uapi/stat.h>
#include <tessera/uapi/time.h>

#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

/* setattr of the open file fd. */
static long attr_fd(struct abi_thread *t, int fd, const struct abi_setattr *sa)
{
	return t->proc->ops->setattr(t, fd, NULL, true, sa);
}

/* setattr of upath from dirfd; an empty path is the open file dirfd with
 * empty_ok (AT_EMPTY_PATH), else -ENOENT. */
static long attr_path(struct abi_thread *t, int dirfd, u64 upath, bool follow,
		      bool empty_ok, const struct abi_setattr *sa)
{
	char *path;
	long r = abi_path_in(t, upath, &path);

	if (r < 0)
		return r;
	if (r)
		r = t->proc->ops->setattr(t, dirfd, path, follow, sa);
	else
		r = empty_ok ? attr_fd(t, dirfd, sa) : -ENOENT;
	kfree(path);
	return r;
}

static struct abi_setattr mode_set(u64 mode)
{
	return (struct abi_setattr){ .valid = ABI_SET_MODE, .mode = (u32)mode & 07777 };
}

/* chmod(path, mode) */
long sys_chmod(struct syscall_args *a)
{
	struct abi_setattr sa = mode_set(a->a[1]);

	return attr_path(a->t, AT_FDCWD, a->a[0], true, false, &sa);
}

/* fchmod(fd, mode) */
long sys_fchmod(struct syscall_args *a)
{
	struct abi_setattr sa = mode_set(a->a[1]);

	return attr_fd(a->t, (int)a->a[0], &sa);
}

/* fchmodat(dirfd, path, mode, flags): Linux takes no flags. */
long sys_fchmodat(struct syscall_args *a)
{
	struct abi_setattr sa = mode_set(a->a[2]);

	return attr_path(a->t, (int)a->a[0], a->a[1], true, false, &sa);
}

/* -1 leaves an id as it is. */
static struct abi_setattr owner_set(u64 uid, u64 gid)
{
	struct abi_setattr sa = { .uid = (u32)uid, .gid = (u32)gid };

	if ((u32)uid != ~0u)
		sa.valid |= ABI_SET_UID;
	if ((u32)gid != ~0u)
		sa.valid |= ABI_SET_GID;
	return sa;
}

/* chown(path, uid, gid) */
long sys_chown(struct syscall_args *a)
{
	struct abi_setattr sa = owner_set(a->a[1], a->a[2]);

	return attr_path(a->t, AT_FDCWD, a->a[0], true, false, &sa);
}

/* lchown(path, uid, gid) */
long sys_lchown(struct syscall_args *a)
{
	struct abi_setattr sa = owner_set(a->a[1], a->a[2]);

	return attr_path(a->t, AT_FDCWD, a->a[0], false, false, &sa);
}

/* fchown(fd, uid, gid) */
long sys_fchown(struct syscall_args *a)
{
	struct abi_setattr sa = owner_set(a->a[1], a->a[2]);

	return attr_fd(a->t, (int)a->a[0], &sa);
}

/* fchownat(dirfd, path, uid, gid, flags) */
long sys_fchownat(struct syscall_args *a)
{
	struct abi_setattr sa = owner_set(a->a[2], a->a[3]);
	u64 flags = a->a[4];

	if (flags & ~(u64)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	return attr_path(a->t, (int)a->a[0], a->a[1], !(flags & AT_SYMLINK_NOFOLLOW),
			 flags & AT_EMPTY_PATH, &sa);
}

/* truncate(path, length) */
long sys_truncate(struct syscall_args *a)
{
	struct abi_setattr sa = { .valid = ABI_SET_SIZE, .size = a->a[1] };

	if ((s64)a->a[1] < 0)
		return -EINVAL;
	return attr_path(a->t, AT_FDCWD, a->a[0], true, false, &sa);
}

/* ftruncate(fd, length) */
long sys_ftruncate(struct syscall_args *a)
{
	struct abi_setattr sa = { .valid = ABI_SET_SIZE, .size = a->a[1] };

	if ((s64)a->a[1] < 0)
		return -EINVAL;
	return attr_fd(a->t, (int)a->a[0], &sa);
}

/* One of utimensat's times into sa: now, omitted, or a checked time. */
static int time_of(const struct timespec *ts, u32 set, u32 now, s64 *ns, u32 *valid)
{
	if (ts->tv_nsec == UTIME_OMIT)
		return 0;
	if (ts->tv_nsec == UTIME_NOW) {
		*valid |= now;
		return 0;
	}
	if (ts->tv_nsec < 0 || ts->tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	*ns = ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
	*valid |= set;
	return 0;
}

/* times (2 timespecs, user address; 0: both now) into sa. */
static int times_in(struct abi_thread *t, u64 utimes, struct abi_setattr *sa)
{
	struct timespec ts[2];
	int err;

	*sa = (struct abi_setattr){ 0 };
	if (!utimes) {
		sa->valid = ABI_SET_ATIME_NOW | ABI_SET_MTIME_NOW;
		return 0;
	}
	if (abi_copy_in(t, ts, utimes, sizeof(ts)))
		return -EFAULT;
	err = time_of(&ts[0], ABI_SET_ATIME, ABI_SET_ATIME_NOW, &sa->atime_ns, &sa->valid);
	return err ? err : time_of(&ts[1], ABI_SET_MTIME, ABI_SET_MTIME_NOW, &sa->mtime_ns,
				  &sa->valid);
}

/* utimensat(dirfd, path, times, flags): path NULL is the open file. */
long sys_utimensat(struct syscall_args *a)
{
	struct abi_setattr sa;
	u64 flags = a->a[3];
	long err;

	if (flags & ~(u64)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = times_in(a->t, a->a[2], &sa);
	if (err)
		return err;
	if (!sa.valid)
		return 0;
	if (!a->a[1])
		return attr_fd(a->t, (int)a->a[0], &sa);
	return attr_path(a->t, (int)a->a[0], a->a[1], !(flags & AT_SYMLINK_NOFOLLOW),
			 flags & AT_EMPTY_PATH, &sa);
}

/* Two timevals (0: now) into sa. */
static int timevals_in(struct abi_thread *t, u64 utv, struct abi_setattr *sa)
{
	struct timeval tv[2];

	*sa = (struct abi_setattr){ .valid = ABI_SET_ATIME_NOW | ABI_SET_MTIME_NOW };
	if (!utv)
		return 0;
	if (abi_copy_in(t, tv, utv, sizeof(tv)))
		return -EFAULT;
	for (int i = 0; i < 2; i++)
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
			return -EINVAL;
	sa->valid = ABI_SET_ATIME | ABI_SET_MTIME;
	sa->atime_ns = tv[0].tv_sec * NSEC_PER_SEC + tv[0].tv_usec * 1000;
	sa->mtime_ns = tv[1].tv_sec * NSEC_PER_SEC + tv[1].tv_usec * 1000;
	return 0;
}

/* utimes(path, times) */
long sys_utimes(struct syscall_args *a)
{
	struct abi_setattr sa;
	int err = timevals_in(a->t, a->a[1], &sa);

	return err ? err : attr_path(a->t, AT_FDCWD, a->a[0], true, false, &sa);
}

/* futimesat(dirfd, path, times) */
long sys_futimesat(struct syscall_args *a)
{
	struct abi_setattr sa;
	int err = timevals_in(a->t, a->a[2], &sa);

	if (err)
		return err;
	if (!a->a[1])
		return attr_fd(a->t, (int)a->a[0], &sa);
	return attr_path(a->t, (int)a->a[0], a->a[1], true, false, &sa);
}

/* utime(path, times): two seconds (access, modification), 0: now. */
long sys_utime(struct syscall_args *a)
{
	struct abi_setattr sa = { .valid = ABI_SET_ATIME_NOW | ABI_SET_MTIME_NOW };
	s64 secs[2];

	if (a->a[1]) {
		if (abi_copy_in(a->t, secs, a->a[1], sizeof(secs)))
			return -EFAULT;
		sa = (struct abi_setattr){ .valid = ABI_SET_ATIME | ABI_SET_MTIME,
					   .atime_ns = secs[0] * NSEC_PER_SEC,
					   .mtime_ns = secs[1] * NSEC_PER_SEC };
	}
	return attr_path(a->t, AT_FDCWD, a->a[0], true, false, &sa);
}
