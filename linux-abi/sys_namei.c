/*
 * Names: mkdir, mkdirat, mknod, mknodat, unlink, unlinkat, rmdir, rename,
 * renameat, renameat2, link, linkat, symlink, symlinkat. Paths are copied
 * in here and flags checked as Linux checks them; the pMonitor's ops
 * split a path into its directory and last name and change the file
 * system. A mode loses the umask here.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/uapi/fcntl.h>
#include <tessera/uapi/stat.h>

#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

/* One path in, or two (the second may be NULL). */
static long paths_in(struct abi_thread *t, u64 u1, char **p1, u64 u2, char **p2)
{
	long n = abi_path_in(t, u1, p1);

	if (n < 0 || !p2)
		return n;
	n = abi_path_in(t, u2, p2);
	if (n < 0)
		kfree(*p1);
	return n;
}

static long do_mknod(struct abi_thread *t, int dirfd, u64 upath, u32 mode, u64 dev)
{
	u32 type = mode & S_IFMT;
	char *path;
	long r;

	if (type == 0)
		type = S_IFREG;
	if (type != S_IFREG && type != S_IFCHR && type != S_IFBLK && type != S_IFIFO &&
	    type != S_IFSOCK && type != S_IFDIR)
		return -EINVAL;
	r = abi_path_in(t, upath, &path);
	if (r < 0)
		return r;
	r = r ? t->proc->ops->mknod(t, dirfd, path, type | abi_mode(t, mode), dev) : -ENOENT;
	kfree(path);
	return r;
}

/* mkdir(path, mode) */
long sys_mkdir(struct syscall_args *a)
{
	return do_mknod(a->t, AT_FDCWD, a->a[0], S_IFDIR | ((u32)a->a[1] & 07777), 0);
}

/* mkdirat(dirfd, path, mode) */
long sys_mkdirat(struct syscall_args *a)
{
	return do_mknod(a->t, (int)a->a[0], a->a[1], S_IFDIR | ((u32)a->a[2] & 07777), 0);
}

/* mknod(path, mode, dev): S_IFDIR is mkdir's, not mknod's. */
long sys_mknod(struct syscall_args *a)
{
	if (((u32)a->a[1] & S_IFMT) == S_IFDIR)
		return -EPERM;
	return do_mknod(a->t, AT_FDCWD, a->a[0], (u32)a->a[1], a->a[2]);
}

/* mknodat(dirfd, path, mode, dev) */
long sys_mknodat(struct syscall_args *a)
{
	if (((u32)a->a[2] & S_IFMT) == S_IFDIR)
		return -EPERM;
	return do_mknod(a->t, (int)a->a[0], a->a[1], (u32)a->a[2], a->a[3]);
}

static long do_unlink(struct abi_thread *t, int dirfd, u64 upath, bool dir)
{
	char *path;
	long r = abi_path_in(t, upath, &path);

	if (r < 0)
		return r;
	r = r ? t->proc->ops->unlink(t, dirfd, path, dir) : -ENOENT;
	kfree(path);
	return r;
}

/* unlink(path) */
long sys_unlink(struct syscall_args *a)
{
	return do_unlink(a->t, AT_FDCWD, a->a[0], false);
}

/* rmdir(path) */
long sys_rmdir(struct syscall_args *a)
{
	return do_unlink(a->t, AT_FDCWD, a->a[0], true);
}

/* unlinkat(dirfd, path, flags) */
long sys_unlinkat(struct syscall_args *a)
{
	if (a->a[2] & ~(u64)AT_REMOVEDIR)
		return -EINVAL;
	return do_unlink(a->t, (int)a->a[0], a->a[1], a->a[2] & AT_REMOVEDIR);
}

static long do_rename(struct abi_thread *t, int odir, u64 uold, int ndir, u64 unew, u64 flags)
{
	char *o, *n;
	long r;

	if (flags & ~(u64)(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_WHITEOUT) ||
	    (flags & (RENAME_NOREPLACE | RENAME_EXCHANGE)) == (RENAME_NOREPLACE | RENAME_EXCHANGE))
		return -EINVAL;
	r = paths_in(t, uold, &o, unew, &n);
	if (r < 0)
		return r;
	r = *o && *n ? t->proc->ops->rename(t, odir, o, ndir, n, (u32)flags) : -ENOENT;
	kfree(o);
	kfree(n);
	return r;
}

/* rename(old, new) */
long sys_rename(struct syscall_args *a)
{
	return do_rename(a->t, AT_FDCWD, a->a[0], AT_FDCWD, a->a[1], 0);
}

/* renameat(olddirfd, old, newdirfd, new) */
long sys_renameat(struct syscall_args *a)
{
	return do_rename(a->t, (int)a->a[0], a->a[1], (int)a->a[2], a->a[3], 0);
}

/* renameat2(olddirfd, old, newdirfd, new, flags) */
long sys_renameat2(struct syscall_args *a)
{
	return do_rename(a->t, (int)a->a[0], a->a[1], (int)a->a[2], a->a[3], a->a[4]);
}

static long do_link(struct abi_thread *t, int odir, u64 uold, int ndir, u64 unew, u64 flags)
{
	char *o, *n;
	long r;

	if (flags & ~(u64)(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	r = paths_in(t, uold, &o, unew, &n);
	if (r < 0)
		return r;
	if (!*o && (flags & AT_EMPTY_PATH))
		r = t->proc->ops->link(t, odir, NULL, ndir, n, false);
	else
		r = *o && *n ? t->proc->ops->link(t, odir, o, ndir, n, flags & AT_SYMLINK_FOLLOW)
			     : -ENOENT;
	kfree(o);
	kfree(n);
	return r;
}

/* link(old, new) */
long sys_link(struct syscall_args *a)
{
	return do_link(a->t, AT_FDCWD, a->a[0], AT_FDCWD, a->a[1], 0);
}

/* linkat(olddirfd, old, newdirfd, new, flags) */
long sys_linkat(struct syscall_args *a)
{
	return do_link(a->t, (int)a->a[0], a->a[1], (int)a->a[2], a->a[3], a->a[4]);
}

static long do_symlink(struct abi_thread *t, u64 utarget, int dirfd, u64 upath)
{
	char *target, *path;
	long r = paths_in(t, utarget, &target, upath, &path);

	if (r < 0)
		return r;
	r = *target && *path ? t->proc->ops->symlink(t, target, dirfd, path) : -ENOENT;
	kfree(target);
	kfree(path);
	return r;
}

/* symlink(target, path) */
long sys_symlink(struct syscall_args *a)
{
	return do_symlink(a->t, a->a[0], AT_FDCWD, a->a[1]);
}

/* symlinkat(target, dirfd, path) */
long sys_symlinkat(struct syscall_args *a)
{
	return do_symlink(a->t, a->a[0], (int)a->a[1], a->a[2]);
}
