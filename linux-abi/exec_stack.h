/*
 * The initial user stack of a new process, as Linux's execve leaves it for
 * glibc and musl start-up code. From rsp up: argc, argv[] and NULL, envp[]
 * and NULL, the auxiliary vector ending with AT_NULL, then the 16 AT_RANDOM
 * bytes, the "x86_64" platform string, the argument and environment
 * strings, the execfn string and 8 zero bytes at the very top. rsp is 16
 * byte aligned. The kernel copies the image to [rsp, stack_top) of the new
 * address space and starts the thread at the plan's entry with that rsp.
 */
#ifndef LINUX_ABI_EXEC_STACK_H
#define LINUX_ABI_EXEC_STACK_H

#include <tessera/types.h>

#include "linux-abi/elf_load.h"

/* argv and envp strings and their pointers together: beyond this, -E2BIG.
 * execve checks Linux's own limit first (sys_exec.c: a quarter of the
 * 8 MiB stack); this one also leaves room for what "#!" lines add. */
#define EXEC_ARG_MAX (2 * 1024 * 1024 + 16 * 1024)
#define EXEC_PATH_MAX 4096 /* execfn, with its NUL */
#define EXEC_RANDOM_BYTES 16
#define EXEC_CLKTCK 100

/* What goes onto the stack. Strings and arrays are in kernel memory. */
struct exec_args {
	const char *const *argv; /* argc strings */
	u32 argc;
	u32 envc;
	const char *const *envp; /* envc strings */
	const char *execfn;      /* the path execve was given, for AT_EXECFN */
	const struct elf_plan *plan;
	const u8 *random;        /* EXEC_RANDOM_BYTES bytes, for AT_RANDOM */
	u32 uid, euid, gid, egid;
	u64 hwcap;               /* AT_HWCAP: CPUID leaf 1 EDX */
	u64 stack_top;           /* user address just above the stack, 16-aligned */
};

/*
 * The size of the image exec_stack_build will make, in *size. Returns 0,
 * -E2BIG (argument and environment too large), -ENAMETOOLONG (execfn),
 * or -EINVAL (stack_top not 16-aligned or outside user space, or not
 * enough room below it).
 */
int exec_stack_size(const struct exec_args *a, u64 *size);

/*
 * Build the image into buf (cap bytes): buf[0] belongs at *rsp, buf[size-1]
 * just below stack_top. Returns 0 or an exec_stack_size error, or -ENOSPC
 * if cap is smaller than the image.
 */
int exec_stack_build(const struct exec_args *a, u8 *buf, u64 cap, u64 *rsp);

#endif
