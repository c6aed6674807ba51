/* Constants of the Linux x86-64 user address space that the loader, the
 * initial stack and the syscall handlers share. */
#ifndef LINUX_ABI_ABI_H
#define LINUX_ABI_ABI_H

#include <tessera/types.h>

#define ABI_PAGE_SIZE 4096ull
/* First address above user space: Linux's TASK_SIZE_MAX with 4-level
 * paging, (1 << 47) - one guard page. */
#define ABI_USER_TOP 0x7ffffffff000ull
/* Lowest address a mapping may take (Linux's default mmap_min_addr). */
#define ABI_USER_MIN 0x10000ull
/* RLIMIT_NOFILE's soft limit: descriptors are 0..ABI_NOFILE-1. */
#define ABI_NOFILE 1024

/* True if [addr, addr + len) lies inside user space (len may be 0). */
static inline bool abi_user_range_ok(u64 addr, u64 len)
{
	return addr <= ABI_USER_TOP && len <= ABI_USER_TOP - addr;
}

#endif
