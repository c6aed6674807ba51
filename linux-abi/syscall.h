/*
 * The Linux system call table and dispatcher. The table is data: one entry
 * per x86-64 syscall number with its name and handler (NULL: not
 * implemented). Handlers live one family per file (sys_*.c) and are
 * declared in linux-abi/syscalls.h.
 */
#ifndef LINUX_ABI_SYSCALL_H
#define LINUX_ABI_SYSCALL_H

#include <tessera/types.h>
#include <tessera/uapi/unistd.h>

#include "linux-abi/abi_proc.h"

struct user_regs;

/* One system call as the trap saw it: rax and rdi, rsi, rdx, r10, r8, r9.
 * regs is the whole frame that returns to user mode (NULL in tests that
 * have none): rt_sigreturn and execve replace it, and set no_restart so
 * that the return to user mode does not take the result for a restart. */
struct syscall_args {
	struct abi_thread *t;
	u64 nr;
	u64 a[6];
	struct user_regs *regs;
	bool no_restart;
};

struct syscall_entry {
	u32 nr;
	const char *name; /* NULL for numbers Linux does not assign */
	long (*fn)(struct syscall_args *a);
};

extern const struct syscall_entry syscall_table[NR_SYSCALLS];

/*
 * Run system call a->nr for thread a->t and return what goes into rax: a
 * result or a negative errno. Numbers with no handler, and numbers beyond
 * the table, give -ENOSYS; the first time each one is seen it is logged.
 */
long abi_syscall(struct syscall_args *a);

/* The name of syscall nr, or NULL if it has none. */
const char *abi_syscall_name(u64 nr);

/* True if nr has been logged as unimplemented (for tests). */
bool abi_enosys_logged(u64 nr);

#endif
