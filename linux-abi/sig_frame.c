/*
 * A signal handler's frame on the user stack, as Linux x86-64 builds it
 * (arch/x86/kernel/signal.c): below the 128-byte red zone, or at the top
 * of the alternate stack for SA_ONSTACK, the FPU registers' fxsave image
 * (64-byte aligned), then struct rt_sigframe so that the handler starts
 * as if called (rsp + 8 is 16-byte aligned) and returns into sa_restorer,
 * which calls rt_sigreturn. The registers are written only after the
 * whole frame is on the stack; sigreturn reads the whole frame before it
 * changes anything, and refuses one that would not return to user mode.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "linux-abi/abi.h"
#include "linux-abi/abi_proc.h"
#include "linux-abi/user.h"

#define SIG_REDZONE 128
/* rflags bits a frame may set: AC OF DF TF SF ZF AF PF CF RF. */
#define SIG_FIX_EFLAGS 0x50dd5ull
#define SIG_HANDLER_CLEAR_FLAGS 0x10500ull /* DF, RF, TF */
#define SIG_UC_FLAGS (UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS)

/* The alternate stack is kept as Linux keeps it: ss_flags SS_DISABLE (no
 * stack, sp and size 0), 0 or SS_AUTODISARM. */
int abi_sig_stack_flags(const struct abi_thread *t, u64 sp)
{
	const struct sigaltstack *s = &t->altstack;

	if (!s->ss_size)
		return SS_DISABLE;
	return sp > s->ss_sp && sp - s->ss_sp <= s->ss_size ? SS_ONSTACK : 0;
}

static void sig_regs_to_context(const struct user_regs *r, struct sigcontext *sc)
{
	*sc = (struct sigcontext){
		.r8 = r->r8, .r9 = r->r9, .r10 = r->r10, .r11 = r->r11, .r12 = r->r12,
		.r13 = r->r13, .r14 = r->r14, .r15 = r->r15, .rdi = r->rdi, .rsi = r->rsi,
		.rbp = r->rbp, .rbx = r->rbx, .rdx = r->rdx, .rax = r->rax, .rcx = r->rcx,
		.rsp = r->rsp, .rip = r->rip, .eflags = r->rflags, .cs = (u16)r->cs,
		.ss = (u16)r->ss, .err = r->error, .trapno = r->vector,
	};
}

static void sig_context_to_regs(const struct sigcontext *sc, struct user_regs *r)
{
	r->r8 = sc->r8, r->r9 = sc->r9, r->r10 = sc->r10, r->r11 = sc->r11;
	r->r12 = sc->r12, r->r13 = sc->r13, r->r14 = sc->r14, r->r15 = sc->r15;
	r->rdi = sc->rdi, r->rsi = sc->rsi, r->rbp = sc->rbp, r->rbx = sc->rbx;
	r->rdx = sc->rdx, r->rax = sc->rax, r->rcx = sc->rcx, r->rsp = sc->rsp;
	r->rip = sc->rip;
	r->rflags = (r->rflags & ~SIG_FIX_EFLAGS) | (sc->eflags & SIG_FIX_EFLAGS);
}

/* Where the frame's fxsave image and the frame itself go. */
static u64 sig_frame_place(const struct abi_thread *t, const struct user_regs *regs,
			   const struct kernel_sigaction *ka, u64 *fpstate)
{
	u64 sp = regs->rsp - SIG_REDZONE;

	if ((ka->flags & SA_ONSTACK) && abi_sig_stack_flags(t, sp) == 0)
		sp = t->altstack.ss_sp + t->altstack.ss_size;
	sp = ALIGN_DOWN(sp - SIG_FPSTATE_SIZE, 64ull);
	*fpstate = sp;
	return ALIGN_DOWN(sp - sizeof(struct rt_sigframe), 16ull) - 8;
}

static void sig_frame_fill(const struct abi_thread *t, const struct user_regs *regs,
			   const struct siginfo *si, const struct kernel_sigaction *ka,
			   k_sigset_t oldmask, u64 fpstate, struct rt_sigframe *f)
{
	memset(f, 0, sizeof(*f));
	f->pretcode = ka->restorer;
	f->uc.uc_flags = SIG_UC_FLAGS;
	f->uc.uc_stack.ss_sp = t->altstack.ss_sp;
	f->uc.uc_stack.ss_size = t->altstack.ss_size;
	f->uc.uc_stack.ss_flags = t->altstack.ss_flags;
	sig_regs_to_context(regs, &f->uc.uc_mcontext);
	f->uc.uc_mcontext.oldmask = oldmask;
	f->uc.uc_mcontext.fpstate = fpstate;
	f->uc.uc_sigmask = oldmask;
	f->info = *si;
}

int abi_sig_frame_setup(struct abi_thread *t, struct user_regs *regs, int sig,
			const struct siginfo *si, const struct kernel_sigaction *ka,
			k_sigset_t oldmask)
{
	u8 fx[SIG_FPSTATE_SIZE] __attribute__((aligned(16)));
	struct rt_sigframe f;
	u64 fpstate, sp = sig_frame_place(t, regs, ka, &fpstate);

	if (!(ka->flags & SA_RESTORER))
		return -EFAULT;
	sig_frame_fill(t, regs, si, ka, oldmask, fpstate, &f);
	t->proc->ops->fpu_save(t, fx);
	if (abi_copy_out(t, fpstate, fx, sizeof(fx)) || abi_copy_out(t, sp, &f, sizeof(f)))
		return -EFAULT;
	if (t->altstack.ss_flags & SS_AUTODISARM)
		t->altstack = (struct sigaltstack){ .ss_flags = SS_DISABLE };
	regs->rdi = (u64)sig;
	regs->rsi = sp + offsetof(struct rt_sigframe, info);
	regs->rdx = sp + offsetof(struct rt_sigframe, uc);
	regs->rax = 0;
	regs->rsp = sp;
	regs->rip = ka->handler;
	regs->rflags &= ~SIG_HANDLER_CLEAR_FLAGS;
	t->proc->ops->fpu_reset(t);
	return 0;
}

/* The alternate stack a frame saved, taken back when it is valid and the
 * thread is not running on the current one (sigaltstack's rules). */
static void sig_restore_altstack(struct abi_thread *t, const struct sigaltstack *s, u64 sp)
{
	if (abi_sig_stack_flags(t, sp) == SS_ONSTACK)
		return;
	if (s->ss_flags & SS_DISABLE)
		t->altstack = (struct sigaltstack){ .ss_flags = SS_DISABLE };
	else if (s->ss_size >= MINSIGSTKSZ && abi_user_range_ok(s->ss_sp, s->ss_size))
		t->altstack = (struct sigaltstack){ .ss_sp = s->ss_sp, .ss_size = s->ss_size,
						    .ss_flags = s->ss_flags & SS_AUTODISARM };
}

int abi_sig_frame_restore(struct abi_thread *t, struct user_regs *regs)
{
	u8 fx[SIG_FPSTATE_SIZE] __attribute__((aligned(16)));
	struct rt_sigframe f;
	const struct sigcontext *sc = &f.uc.uc_mcontext;

	if (abi_copy_in(t, &f, regs->rsp - 8, sizeof(f)))
		return -EFAULT;
	if (sc->rip >= ABI_USER_TOP || sc->rsp >= ABI_USER_TOP)
		return -EFAULT;
	if (sc->fpstate && abi_copy_in(t, fx, sc->fpstate, sizeof(fx)))
		return -EFAULT;
	abi_sig_set_mask(t, f.uc.uc_sigmask);
	sig_context_to_regs(sc, regs);
	if (sc->fpstate)
		t->proc->ops->fpu_restore(t, fx);
	else
		t->proc->ops->fpu_reset(t);
	sig_restore_altstack(t, &f.uc.uc_stack, regs->rsp);
	return 0;
}
