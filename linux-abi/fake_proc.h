/* A fake process for the syscall handlers' host tests: user memory is a
 * heap arena at FAKE_BASE with a hole that is "unmapped", fds 0 and 1 are
 * a terminal, 2 a pipe, 3 a file, the rest closed; every hook records what
 * it was asked. Syscalls see regs as their frame; sig_sleep never sleeps
 * (it counts, and reports a signal if one could end the sleep, else a
 * timeout); the FPU is a 512-byte buffer; futex returns 0; the machine has
 * two CPUs and the caller runs on CPU 1. */
#ifndef LINUX_ABI_FAKE_PROC_H
#define LINUX_ABI_FAKE_PROC_H

#include "linux-abi/abi_proc.h"
#include "linux-abi/syscall.h"

#define FAKE_BASE 0x10000000ull
#define FAKE_SIZE (256 * 1024ull)
#define FAKE_HOLE (FAKE_BASE + 0x20000) /* one unmapped page */
#define FAKE_BRK 0x600000ull
#define FAKE_IOBUF 64 /* small, so transfers take several chunks */

struct fake_proc {
	struct abi_proc proc;
	struct abi_thread thread;
	u8 *mem;
	char out[8192];   /* what fds 1 to 3 were written */
	u32 out_len;
	const char *in;   /* what fd 0 reads */
	u32 in_len, in_pos;
	u64 seg[2];       /* FS and GS bases */
	u64 brk_calls;
	bool brk_fail;
	u8 iobuf[FAKE_IOBUF];
	struct user_regs regs;
	u8 fpu[512];      /* the "FPU registers" */
	u64 sleeps, kills;
	s32 kill_pid;
	int kill_sig;
	struct abi_futex futex; /* the last futex call that got through */
	u64 futex_calls, yields;
};

void fake_init(struct fake_proc *f);
void fake_free(struct fake_proc *f);

/* Run syscall nr through the dispatcher. */
long fake_call(struct fake_proc *f, u64 nr, u64 a0, u64 a1, u64 a2, u64 a3);
/* The same with all six arguments. */
long fake_call6(struct fake_proc *f, u64 nr, const u64 args[6]);

/* Copy len bytes to user offset off; returns their user address. */
u64 fake_put(struct fake_proc *f, u64 off, const void *src, u64 len);
/* The host pointer behind user address uaddr. */
void *fake_ptr(struct fake_proc *f, u64 uaddr);

#endif
