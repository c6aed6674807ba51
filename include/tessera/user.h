/*
 * User mode: entering ring 3, system calls, faults, and copying to and from
 * user memory. The register layout is the x86-64 Linux ABI's (syscall number
 * in rax, arguments in rdi rsi rdx r10 r8 r9, result in rax), which is what
 * the binaries we run expect; it is the same struct the trap path saves.
 *
 * A role that runs user code registers user_ops once at start. Handlers run
 * in the thread that entered user mode, on its kernel stack, with
 * interrupts enabled.
 */
#ifndef TESSERA_USER_H
#define TESSERA_USER_H

#include <tessera/types.h>

struct user_regs {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error;
	u64 rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct user_regs) == 22 * 8, "matches the trap frame");

#define USER_TOP 0x00007FFFFFFFF000ull /* first address above user space */
#define USER_VEC_SYSCALL 256            /* user_regs.vector of a syscall */

enum user_fault_kind { USER_FAULT_PAGE, USER_FAULT_OTHER };

struct user_ops {
	/* A system call: regs->rax holds the number; set regs->rax to the
	 * result. May change any register (execve, signal return). */
	void (*syscall)(struct user_regs *regs);
	/* An exception in user mode (page fault: addr = faulting address,
	 * write = the access was a write). Return to retry the instruction
	 * (the handler fixed the cause) or do not return (kill the thread). */
	void (*fault)(struct user_regs *regs, enum user_fault_kind kind, u64 addr,
		      bool write);
	/* A page fault on a user address during copy_from/to_user: make it
	 * accessible and return true, or return false for -EFAULT. */
	bool (*resolve)(u64 addr, bool write);
	/* Optional: an interrupt is about to return to user mode in the
	 * current thread (interrupts on, the thread's own context): the role
	 * may change regs (deliver a signal) or end the thread. */
	void (*interrupt_return)(struct user_regs *regs);
};

void user_set_ops(const struct user_ops *ops);

/* Enter user mode with regs in the current thread; never returns. The
 * current address space must already be the user's. The FPU/SSE
 * registers are the thread's user state (user_fpu_load), or fresh ones
 * (FCW 0x37F, MXCSR 0x1F80) for a thread entering for the first time. */
__noreturn void user_enter(const struct user_regs *regs);
/* Fresh registers for a new program: rip, rsp set, everything else zero
 * (rdx = 0 as the ABI wants), user segments, interrupts on. */
void user_regs_init(struct user_regs *regs, u64 rip, u64 rsp);

/* Copy with checks: -EFAULT if any byte is outside user space or cannot be
 * made accessible. Never faults the kernel. */
int copy_from_user(void *dst, u64 usrc, size_t n);
int copy_to_user(u64 udst, const void *src, size_t n);
/* Atomically replace the aligned user word at uaddr with new if it holds
 * old; *cur gets what it held (== old: replaced). 0 or -EFAULT. */
int user_cmpxchg_u32(u64 uaddr, u32 old, u32 new, u32 *cur);
/* Copy a NUL-terminated string of at most max bytes (with the NUL);
 * returns its length, -EFAULT, or -ENAMETOOLONG. */
long strncpy_from_user(char *dst, u64 usrc, size_t max);

/* The current thread's user FPU/SSE registers as a 512-byte fxsave
 * image (USER_FPU_SIZE, 16-byte aligned buffers). save and reset act on
 * a thread that runs in user mode; load also gives a thread that has not
 * entered user mode yet the state it will enter with (fork). An image
 * from a user is made safe first (MXCSR bits the CPU does not have are
 * cleared), so load never faults. */
#define USER_FPU_SIZE 512
void user_fpu_save(void *image);
void user_fpu_load(const void *image);
void user_fpu_reset(void);

/* The FS base register of the current thread (arch_prctl ARCH_SET_FS). */
void user_set_fs_base(u64 base);
u64 user_get_fs_base(void);

#endif
