/*
 * The syscall dispatcher (syscall.h). The only mutable state is the bitmap
 * of unimplemented numbers already logged; it is set with atomic ors, so
 * concurrent callers at worst both log the same number once.
 */
#include <tessera/errno.h>
#include <tessera/printk.h>

#include "linux-abi/syscall.h"

#define ENOSYS_WORDS ((NR_SYSCALLS + 1 + 63) / 64)
#define BEYOND_TABLE NR_SYSCALLS /* the bit for every number >= NR_SYSCALLS */

static u64 enosys_logged[ENOSYS_WORDS];

/* Mark bit; true if this call set it. */
static bool first_time(u64 bit)
{
	u64 mask = 1ull << (bit % 64);

	return !(__atomic_fetch_or(&enosys_logged[bit / 64], mask,
				   __ATOMIC_RELAXED) & mask);
}

bool abi_enosys_logged(u64 nr)
{
	u64 bit = nr < NR_SYSCALLS ? nr : BEYOND_TABLE;

	return __atomic_load_n(&enosys_logged[bit / 64], __ATOMIC_RELAXED) &
	       (1ull << (bit % 64));
}

const char *abi_syscall_name(u64 nr)
{
	return nr < NR_SYSCALLS ? syscall_table[nr].name : NULL;
}

static long enosys(const struct syscall_args *a)
{
	const char *name = abi_syscall_name(a->nr);
	u64 bit = a->nr < NR_SYSCALLS ? a->nr : BEYOND_TABLE;

	if (first_time(bit))
		pr_warn("linux-abi: pid %u: unimplemented syscall %lu (%s)\n",
			a->t->proc->pid, (unsigned long)a->nr,
			name ? name : "unknown number");
	return -ENOSYS;
}

long abi_syscall(struct syscall_args *a)
{
	if (a->nr >= NR_SYSCALLS || !syscall_table[a->nr].fn)
		return enosys(a);
	return syscall_table[a->nr].fn(a);
}
