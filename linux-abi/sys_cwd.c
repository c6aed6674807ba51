/*
 * The working directory: chdir, fchdir and getcwd. The pMonitor keeps it
 * per process (fork copies it) and resolves every relative path against
 * it (the ops' AT_FDCWD); these handlers only move the arguments.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/uapi/fcntl.h>

#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

/* chdir(path): an empty path is ENOENT. */
long sys_chdir(struct syscall_args *a)
{
	char *path;
	long len = abi_path_in(a->t, a->a[0], &path);

	if (len < 0)
		return len;
	len = len ? a->t->proc->ops->chdir(a->t, AT_FDCWD, path) : -ENOENT;
	kfree(path);
	return len;
}

/* fchdir(fd) */
long sys_fchdir(struct syscall_args *a)
{
	return a->t->proc->ops->chdir(a->t, (int)a->a[0], NULL);
}

/* getcwd(buf, size): the length with the NUL; ERANGE when size cannot
 * hold it (size 0 included). */
long sys_getcwd(struct syscall_args *a)
{
	u64 size = a->a[1] < ABI_PATH_MAX ? a->a[1] : ABI_PATH_MAX;
	char *buf = kmalloc(ABI_PATH_MAX);
	long len;

	if (!buf)
		return -ENOMEM;
	len = a->t->proc->ops->getcwd(a->t, buf, size);
	if (len > 0 && abi_copy_out(a->t, a->a[0], buf, (u64)len))
		len = -EFAULT;
	kfree(buf);
	return len;
}
