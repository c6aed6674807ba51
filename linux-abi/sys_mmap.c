/*
 * mmap, munmap, mprotect: the argument checks Linux makes before it looks
 * at the address space; the pMonitor's ops do the rest with the memory
 * backend.
 */
#include <tessera/errno.h>
#include <tessera/uapi/mman.h>

#include "linux-abi/abi.h"
#include "linux-abi/syscalls.h"

#define MAP_KNOWN_TYPES(f) (((f) & MAP_TYPE) == MAP_SHARED || ((f) & MAP_TYPE) == MAP_PRIVATE || \
			    ((f) & MAP_TYPE) == MAP_SHARED_VALIDATE)

static bool page_aligned(u64 v)
{
	return v % ABI_PAGE_SIZE == 0;
}

/* mmap(addr, len, prot, flags, fd, off) */
long sys_mmap(struct syscall_args *a)
{
	u64 addr = a->a[0], len = a->a[1], off = a->a[5];
	u32 prot = (u32)a->a[2], flags = (u32)a->a[3];
	int fd = (int)a->a[4];

	if (!MAP_KNOWN_TYPES(flags) || !page_aligned(off) || len == 0)
		return -EINVAL;
	if (prot & ~(u32)(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	if (len > ABI_USER_TOP || ALIGN_UP(len, ABI_PAGE_SIZE) > ABI_USER_TOP)
		return -ENOMEM;
	len = ALIGN_UP(len, ABI_PAGE_SIZE);
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) &&
	    (!page_aligned(addr) || !abi_user_range_ok(addr, len)))
		return (flags & MAP_FIXED) ? -EINVAL : -EEXIST;
	if (!(flags & MAP_ANONYMOUS) && off + len < off)
		return -EOVERFLOW;
	return a->t->proc->ops->mmap(a->t, addr, len, prot, flags,
				      (flags & MAP_ANONYMOUS) ? -1 : fd, off);
}

/* munmap(addr, len) */
long sys_munmap(struct syscall_args *a)
{
	u64 addr = a->a[0], len = ALIGN_UP(a->a[1], ABI_PAGE_SIZE);

	if (!page_aligned(addr) || a->a[1] == 0 || len < a->a[1] ||
	    !abi_user_range_ok(addr, len))
		return -EINVAL;
	return a->t->proc->ops->munmap(a->t, addr, len);
}

/* mprotect(addr, len, prot) */
long sys_mprotect(struct syscall_args *a)
{
	u64 addr = a->a[0], len = ALIGN_UP(a->a[1], ABI_PAGE_SIZE);
	u32 prot = (u32)a->a[2];

	if (!page_aligned(addr) || len < a->a[1])
		return -EINVAL;
	if (prot & ~(u32)(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	if (len == 0)
		return 0;
	if (!abi_user_range_ok(addr, len))
		return -ENOMEM;
	return a->t->proc->ops->mprotect(a->t, addr, len, prot);
}
