/*
 * readlink and readlinkat: /proc/self/exe names the running program
 * (busybox uses it to re-execute itself); other paths are the file
 * system's (the readlink op).
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/string.h>
#include <tessera/uapi/fcntl.h>

#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

static bool is_self_exe(const char *path)
{
	return !strcmp(path, "/proc/self/exe") ||
	       !strcmp(path, "/proc/thread-self/exe");
}

/* The file system's target of path from dirfd, into ubuf. */
static long fs_readlink(struct abi_thread *t, int dirfd, const char *path, u64 ubuf,
			s64 size)
{
	char *buf = kmalloc(ABI_PATH_MAX);
	long len;

	if (!buf)
		return -ENOMEM;
	len = t->proc->ops->readlink(t, dirfd, path, buf, (u64)MIN(size, ABI_PATH_MAX));
	if (len > 0 && abi_copy_out(t, ubuf, buf, (u64)len))
		len = -EFAULT;
	kfree(buf);
	return len;
}

/* readlink of upath into ubuf (size bytes, no NUL), Linux's rules. */
static long do_readlink(struct abi_thread *t, int dirfd, u64 upath, u64 ubuf, s64 size)
{
	const char *exe = t->proc->exe_path;
	char *path;
	long len;

	if (size <= 0)
		return -EINVAL;
	len = abi_path_in(t, upath, &path);
	if (len < 0)
		return len;
	if (len == 0)
		len = -ENOENT;
	else if (is_self_exe(path) && exe) {
		len = MIN((s64)strlen(exe), size);
		len = abi_copy_out(t, ubuf, exe, (u64)len) ? -EFAULT : len;
	} else {
		len = fs_readlink(t, dirfd, path, ubuf, size);
	}
	kfree(path);
	return len;
}

/* readlink(path, buf, bufsiz) */
long sys_readlink(struct syscall_args *a)
{
	return do_readlink(a->t, AT_FDCWD, a->a[0], a->a[1], (s64)a->a[2]);
}

/* readlinkat(dirfd, path, buf, bufsiz) */
long sys_readlinkat(struct syscall_args *a)
{
	return do_readlink(a->t, (int)a->a[0], a->a[1], a->a[2], (s64)a->a[3]);
}
