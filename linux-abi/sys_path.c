/*
 * Path syscalls that need no file system: readlink of /proc/self/exe,
 * which busybox uses to re-execute itself. Other paths give -ENOENT until
 * the file system is reachable.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

#define PATH_MAX 4096

static bool is_self_exe(const char *path)
{
	return !strcmp(path, "/proc/self/exe") ||
	       !strcmp(path, "/proc/thread-self/exe");
}

/* readlink of upath into ubuf (size bytes, no NUL), Linux's rules. */
static long do_readlink(struct abi_thread *t, u64 upath, u64 ubuf, s64 size)
{
	char path[PATH_MAX];
	const char *exe = t->proc->exe_path;
	long len;

	if (size <= 0)
		return -EINVAL;
	len = abi_copy_str_in(t, path, upath, sizeof(path));
	if (len < 0)
		return len;
	if (len == 0)
		return -ENOENT;
	if (!is_self_exe(path) || !exe)
		return -ENOENT;
	len = MIN((s64)strlen(exe), size);
	return abi_copy_out(t, ubuf, exe, len) ? -EFAULT : len;
}

/* readlink(path, buf, bufsiz) */
long sys_readlink(struct syscall_args *a)
{
	return do_readlink(a->t, a->a[0], a->a[1], (s64)a->a[2]);
}

/* readlinkat(dirfd, path, buf, bufsiz): dirfd matters only for relative
 * paths, which name nothing here yet. */
long sys_readlinkat(struct syscall_args *a)
{
	return do_readlink(a->t, a->a[1], a->a[2], (s64)a->a[3]);
}
