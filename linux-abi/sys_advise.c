/*
 * Advice: madvise, fadvise64 and readahead. The hints that let the kernel
 * do nothing are accepted after Linux's argument checks. MADV_DONTNEED
 * and MADV_REMOVE are not hints (private anonymous pages read back as
 * zeroes after them) and the memory side has no way yet to drop a
 * range's pages: they are -ENOSYS, never a success that keeps the data.
 * MADV_FREE may keep the data, so it is a hint.
 */
#include <tessera/errno.h>
#include <tessera/uapi/fcntl.h>
#include <tessera/uapi/mman.h>
#include <tessera/uapi/stat.h>

#include "linux-abi/abi.h"
#include "linux-abi/syscalls.h"

static bool madv_hint(u64 advice)
{
	switch (advice) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_FREE:
	case MADV_DONTFORK:
	case MADV_DOFORK:
	case MADV_MERGEABLE:
	case MADV_UNMERGEABLE:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
	case MADV_COLD:
	case MADV_PAGEOUT:
		return true;
	default:
		return false;
	}
}

/* madvise(addr, len, advice): addr page-aligned, the range inside user
 * space, a known advice; EINVAL otherwise. */
long sys_madvise(struct syscall_args *a)
{
	u64 addr = a->a[0], len = a->a[1], advice = a->a[2];

	if (advice == MADV_DONTNEED || advice == MADV_REMOVE)
		return -ENOSYS;
	if (!madv_hint(advice) || (addr & (ABI_PAGE_SIZE - 1)))
		return -EINVAL;
	if (len > ABI_USER_TOP || !abi_user_range_ok(addr, ALIGN_UP(len, ABI_PAGE_SIZE)))
		return -EINVAL;
	return 0;
}

/* The file type of fd: S_IF*, or -EBADF. */
static long fd_type(struct abi_thread *t, int fd)
{
	struct stat st;
	int err = t->proc->ops->fstat(t, fd, &st);

	return err ? err : (long)(st.st_mode & S_IFMT);
}

/* fadvise64(fd, offset, len, advice): a pipe is ESPIPE, a negative
 * length or an unknown advice EINVAL. */
long sys_fadvise64(struct syscall_args *a)
{
	long type = fd_type(a->t, (int)a->a[0]);

	if (type < 0)
		return type;
	if (type == S_IFIFO)
		return -ESPIPE;
	if ((s64)a->a[2] < 0 || a->a[3] > POSIX_FADV_NOREUSE)
		return -EINVAL;
	return 0;
}

/* readahead(fd, offset, count): only for a regular file open for
 * reading (EBADF if it is not open for reading, EINVAL if not regular). */
long sys_readahead(struct syscall_args *a)
{
	struct abi_thread *t = a->t;
	long type = fd_type(t, (int)a->a[0]);
	int flags;

	if (type < 0)
		return type;
	flags = t->proc->ops->fd_flags(t, (int)a->a[0]);
	if (flags < 0 || (flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	return type == S_IFREG ? 0 : -EINVAL;
}
