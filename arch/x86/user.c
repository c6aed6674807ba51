/*
 * User mode on x86-64: each CPU's syscall MSRs and FPU enable, entering
 * ring 3, dispatching syscalls and user faults to the role's user_ops, the
 * per-thread user state switched with the thread (kernel stack for entries,
 * FS base, FPU/SSE registers), and user-memory copies whose page faults are
 * resolved through user_ops->resolve or turned into -EFAULT.
 *
 * user_ops is written once when the role starts, read without locks after.
 */
#include <tessera/arch.h>
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/printk.h>
#include <tessera/string.h>
#include <tessera/thread.h>
#include <tessera/user.h>

#include "arch/x86/io.h"
#include "arch/x86/x86.h"

#define MSR_EFER 0xC0000080
#define MSR_STAR 0xC0000081
#define MSR_LSTAR 0xC0000082
#define MSR_SFMASK 0xC0000084
#define MSR_FS_BASE 0xC0000100
#define MSR_KERNEL_GS_BASE 0xC0000102
#define FPU_AREA USER_FPU_SIZE
#define FXSAVE_MXCSR 24      /* offsets in an fxsave image */
#define FXSAVE_MXCSR_MASK 28
#define MXCSR_DEFAULT 0x1F80

static u32 mxcsr_mask = 0xFFBF; /* the CPU's, read at each CPU's user_init (the same) */

/* The first NUL in [p, p+n), or NULL. */
static const char *memchr_bounded(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!p[i])
			return p + i;
	return NULL;
}
static const struct user_ops *uops;

extern char syscall_entry[], copy_user_insn[], copy_user_fixup[];
extern char user_cmpxchg_insn[], user_cmpxchg_fixup[];
extern long copy_user_raw(void *dst, const void *src, size_t n);
extern long user_cmpxchg_raw(u32 *uaddr, u32 old, u32 new, u32 *cur);
extern __noreturn void user_enter_frame(struct user_regs *frame);

/* MXCSR bits the CPU implements: fxsave reports them (0: the default). */
static void user_read_mxcsr_mask(void)
{
	u8 image[FPU_AREA] __attribute__((aligned(16)));
	u32 mask;

	memset(image, 0, sizeof(image));
	asm volatile("fxsave64 (%0)" : : "r"(image) : "memory");
	memcpy(&mask, image + FXSAVE_MXCSR_MASK, sizeof(mask));
	if (mask)
		mxcsr_mask = mask;
}

void user_init(void)
{
	u64 cr0, cr4;

	wrmsr(MSR_KERNEL_GS_BASE, 0);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | 1); /* SCE */
	wrmsr(MSR_STAR, (0x10ull << 48) | ((u64)SEL_KCODE << 32));
	wrmsr(MSR_LSTAR, (u64)syscall_entry);
	wrmsr(MSR_SFMASK, 0x47700); /* IF, TF, DF, AC, NT cleared on entry */
	asm volatile("mov %%cr0, %0" : "=r"(cr0));
	cr0 = (cr0 & ~(1ul << 2 | 1ul << 3)) | (1ul << 1); /* !EM, !TS, MP */
	asm volatile("mov %0, %%cr0" : : "r"(cr0));
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= 1ul << 9 | 1ul << 10; /* OSFXSR, OSXMMEXCPT */
	asm volatile("mov %0, %%cr4" : : "r"(cr4));
	user_read_mxcsr_mask();
}

void user_set_ops(const struct user_ops *ops)
{
	uops = ops;
}

void arch_context_switch(struct arch_context *from, struct arch_context *to)
{
	if (from->fpu)
		asm volatile("fxsave64 (%0)" : : "r"(from->fpu) : "memory");
	if (to->fpu) {
		asm volatile("fxrstor64 (%0)" : : "r"(to->fpu) : "memory");
		wrmsr(MSR_FS_BASE, to->fs_base);
	}
	x86_switch_space(to->space);
	x86_this_cpu()->kernel_rsp = to->kstack_top;
	tss_set_rsp0(to->kstack_top);
	arch_switch_stacks(&from->rsp, &to->rsp);
}

void arch_context_destroy(struct arch_context *ctx)
{
	kfree(ctx->fpu);
	ctx->fpu = NULL;
}

void user_regs_init(struct user_regs *regs, u64 rip, u64 rsp)
{
	memset(regs, 0, sizeof(*regs));
	regs->rip = rip;
	regs->rsp = rsp;
	regs->cs = SEL_UCODE;
	regs->ss = SEL_UDATA;
	regs->rflags = 0x202; /* IF */
}

/* The thread's FPU area, made on first use; the live registers become
 * its state from now on (switches save and restore them). */
static void *user_fpu_area(struct arch_context *ctx)
{
	if (!ctx->fpu)
		ctx->fpu = kzalloc(FPU_AREA);
	if (!ctx->fpu)
		panic("no memory for a thread's FPU state");
	return ctx->fpu;
}

void user_fpu_reset(void)
{
	u32 mxcsr = MXCSR_DEFAULT;

	asm volatile("fninit; ldmxcsr %0" : : "m"(mxcsr));
}

void user_fpu_save(void *image)
{
	asm volatile("fxsave64 (%0)" : : "r"(image) : "memory");
}

void user_fpu_load(const void *image)
{
	struct arch_context *ctx = &thread_current()->ctx;
	u8 *area = user_fpu_area(ctx);
	unsigned long flags;
	u32 mxcsr;

	/* A switch saves the live registers into area: none may come
	 * between filling it and loading it. */
	flags = arch_irq_save();
	memcpy(area, image, FPU_AREA);
	memcpy(&mxcsr, area + FXSAVE_MXCSR, sizeof(mxcsr));
	mxcsr &= mxcsr_mask;
	memcpy(area + FXSAVE_MXCSR, &mxcsr, sizeof(mxcsr));
	asm volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
	arch_irq_restore(flags);
}

/* The state a thread enters user mode with: its own, or fresh. */
static void user_fpu_enter(struct arch_context *ctx)
{
	if (ctx->fpu) {
		asm volatile("fxrstor64 (%0)" : : "r"(ctx->fpu) : "memory");
		return;
	}
	user_fpu_area(ctx);
	user_fpu_reset();
}

void user_enter(const struct user_regs *regs)
{
	struct arch_context *ctx = &thread_current()->ctx;
	struct user_regs *frame = (struct user_regs *)(ctx->kstack_top - sizeof(*frame));
	struct user_regs copy = *regs; /* regs may live where frame goes */

	BUG_ON(!ctx->kstack_top);
	arch_irq_disable();
	user_fpu_enter(ctx);
	wrmsr(MSR_FS_BASE, ctx->fs_base);
	*frame = copy;
	frame->cs = SEL_UCODE;
	frame->ss = SEL_UDATA;
	frame->rflags = (regs->rflags & 0xCD5) | 0x202; /* status flags, IF */
	user_enter_frame(frame);
}

void user_set_fs_base(u64 base)
{
	thread_current()->ctx.fs_base = base;
	wrmsr(MSR_FS_BASE, base);
}

u64 user_get_fs_base(void)
{
	return thread_current()->ctx.fs_base;
}

void syscall_dispatch(struct user_regs *regs)
{
	if (!uops || !uops->syscall) {
		regs->rax = (u64)-ENOSYS;
		return;
	}
	uops->syscall(regs);
}

/* The user-memory instructions that may fault, and where each goes when
 * the fault cannot be resolved (its function then returns -EFAULT). */
static const struct {
	const char *insn, *fixup;
} user_fixups[] = {
	{ copy_user_insn, copy_user_fixup },
	{ user_cmpxchg_insn, user_cmpxchg_fixup },
};

/* A kernel page fault at addr: if it happened at one of user_fixups, either
 * resolve it (the instruction is retried) or go to its fixup. False if the
 * fault is not ours to fix. */
bool user_fixup(struct user_regs *tf, u64 addr)
{
	for (size_t i = 0; i < ARRAY_SIZE(user_fixups); i++) {
		if (tf->rip != (u64)user_fixups[i].insn)
			continue;
		if (addr < USER_TOP && uops && uops->resolve &&
		    uops->resolve(addr, tf->error & 2))
			return true;
		tf->rip = (u64)user_fixups[i].fixup;
		return true;
	}
	return false;
}

/* An interrupt that came from user mode returns there: the role may act
 * on the thread first, with interrupts on. */
void user_interrupt_return(struct user_regs *tf)
{
	if (!uops || !uops->interrupt_return)
		return;
	arch_irq_enable();
	uops->interrupt_return(tf);
	arch_irq_disable();
}

/* A fault in user mode. Without a role handler the thread is ended. */
void user_fault(struct user_regs *tf, u64 addr)
{
	enum user_fault_kind kind = tf->vector == 14 ? USER_FAULT_PAGE : USER_FAULT_OTHER;

	arch_irq_enable();
	if (uops && uops->fault) {
		uops->fault(tf, kind, kind == USER_FAULT_PAGE ? addr : 0, tf->error & 2);
		arch_irq_disable();
		return;
	}
	pr_err("user: exception %lu at rip %#lx (addr %#lx), no handler: thread ends\n",
	       tf->vector, tf->rip, addr);
	thread_exit();
}

static bool user_range_ok(u64 uaddr, size_t n)
{
	return uaddr < USER_TOP && n <= USER_TOP - uaddr;
}

int copy_from_user(void *dst, u64 usrc, size_t n)
{
	if (!user_range_ok(usrc, n))
		return -EFAULT;
	return (int)copy_user_raw(dst, (const void *)usrc, n);
}

int copy_to_user(u64 udst, const void *src, size_t n)
{
	if (!user_range_ok(udst, n))
		return -EFAULT;
	return (int)copy_user_raw((void *)udst, src, n);
}

int user_cmpxchg_u32(u64 uaddr, u32 old, u32 new, u32 *cur)
{
	if ((uaddr & 3) || !user_range_ok(uaddr, 4))
		return -EFAULT;
	return (int)user_cmpxchg_raw((u32 *)uaddr, old, new, cur);
}

long strncpy_from_user(char *dst, u64 usrc, size_t max)
{
	size_t done = 0;

	while (done < max) {
		size_t chunk = MIN(max - done, 4096 - ((usrc + done) & 4095));
		const char *nul;
		int err = copy_from_user(dst + done, usrc + done, chunk);

		if (err)
			return err;
		nul = memchr_bounded(dst + done, chunk);
		if (nul)
			return (long)(nul - dst);
		done += chunk;
	}
	return -ENAMETOOLONG;
}
