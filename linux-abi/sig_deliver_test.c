/* Posting, taking and delivering signals against the fake process: which
 * signals are dropped or merged, the order they are taken in, a handler's
 * frame and rt_sigreturn undoing it, syscall restarts, the alternate
 * stack and the waiting calls. */
#include <string.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>
#include <tessera/uapi/time.h>

#include "linux-abi/fake_proc.h"

#define HANDLER 0x401200ull
#define RESTORER 0x401300ull

static bool post(struct fake_proc *f, bool thread, int sig, s32 code)
{
	struct abi_sigrec rec = { .code = code, .pid = 7, .uid = 1000, .addr = 0x1234 };
	bool r;

	spin_lock(&f->proc.sig_lock);
	r = abi_sig_post(&f->proc, thread ? &f->thread : NULL, sig, &rec);
	spin_unlock(&f->proc.sig_lock);
	return r;
}

static void handle(struct fake_proc *f, int sig, u64 flags, k_sigset_t mask)
{
	struct kernel_sigaction *a = &f->proc.sigactions[sig - 1];

	*a = (struct kernel_sigaction){ HANDLER, flags | SA_RESTORER, RESTORER, mask };
}

static int take(struct fake_proc *f, k_sigset_t mask, struct siginfo *si)
{
	int sig;

	spin_lock(&f->proc.sig_lock);
	sig = abi_sig_dequeue_locked(&f->thread, mask, si);
	spin_unlock(&f->proc.sig_lock);
	return sig;
}

KTEST(sig_deliver, ignored_signals_are_dropped_blocked_ones_kept)
{
	struct fake_proc f;
	struct siginfo si;

	fake_init(&f);
	KT_EXPECT(t, !post(&f, false, SIGCHLD, SI_USER)); /* default: ignore */
	KT_EXPECT(t, !post(&f, false, SIGCONT, SI_USER));
	f.proc.sigactions[SIGINT - 1].handler = SIG_IGN;
	KT_EXPECT(t, !post(&f, false, SIGINT, SI_USER));
	f.thread.sigmask = SIGMASK(SIGCHLD);
	KT_EXPECT(t, post(&f, true, SIGCHLD, SI_USER)); /* blocked: may be wanted later */
	handle(&f, SIGWINCH, 0, 0);
	KT_EXPECT(t, post(&f, false, SIGWINCH, SI_USER));
	KT_EXPECT(t, post(&f, false, SIGKILL, SI_USER));
	KT_EXPECT_EQ(t, take(&f, ~0ull, &si), SIGCHLD);
	KT_EXPECT_EQ(t, take(&f, ~0ull, &si), SIGKILL);
	KT_EXPECT_EQ(t, take(&f, ~0ull, &si), SIGWINCH);
	KT_EXPECT_EQ(t, take(&f, ~0ull, &si), 0);
	fake_free(&f);
}

KTEST(sig_deliver, merging_order_and_siginfo)
{
	struct fake_proc f;
	struct abi_sigrec second = { .code = SI_USER, .pid = 99 };
	struct siginfo si;

	fake_init(&f);
	KT_EXPECT(t, post(&f, false, SIGTERM, SI_USER));
	spin_lock(&f.proc.sig_lock);
	abi_sig_post(&f.proc, NULL, SIGTERM, &second); /* merged: the first's details stay */
	spin_unlock(&f.proc.sig_lock);
	KT_EXPECT(t, post(&f, false, SIGINT, SI_USER));
	KT_EXPECT(t, post(&f, true, SIGSEGV, SEGV_MAPERR));
	KT_EXPECT(t, post(&f, true, SIGUSR1, SI_TKILL));
	KT_EXPECT_EQ(t, take(&f, ~0ull, &si), SIGSEGV); /* a fault comes first */
	KT_EXPECT_EQ(t, si.si_code, SEGV_MAPERR);
	KT_EXPECT_EQ(t, si.u.addr, 0x1234);
	KT_EXPECT_EQ(t, take(&f, ~0ull, &si), SIGUSR1); /* the thread's own next */
	KT_EXPECT_EQ(t, take(&f, ~SIGMASK(SIGINT), &si), SIGTERM);
	KT_EXPECT_EQ(t, si.u.proc.pid, 7);
	KT_EXPECT_EQ(t, si.u.proc.uid, 1000);
	KT_EXPECT_EQ(t, take(&f, ~SIGMASK(SIGINT), &si), 0);
	KT_EXPECT_EQ(t, take(&f, ~0ull, &si), SIGINT);
	fake_free(&f);
}

KTEST(sig_deliver, cont_and_stop_cancel_each_other)
{
	struct fake_proc f;
	struct siginfo si;

	fake_init(&f);
	handle(&f, SIGCONT, 0, 0);
	KT_EXPECT(t, post(&f, false, SIGSTOP, SI_USER));
	KT_EXPECT(t, post(&f, false, SIGTSTP, SI_USER));
	KT_EXPECT(t, post(&f, false, SIGCONT, SI_USER));
	KT_EXPECT_EQ(t, f.proc.shared.set, SIGMASK(SIGCONT));
	KT_EXPECT(t, post(&f, false, SIGTTIN, SI_USER));
	KT_EXPECT_EQ(t, take(&f, ~0ull, &si), SIGTTIN);
	KT_EXPECT_EQ(t, take(&f, ~0ull, &si), 0);
	fake_free(&f);
}

KTEST(sig_deliver, handler_frame_and_sigreturn)
{
	struct fake_proc f;
	struct abi_sig_outcome out;
	struct user_regs before;
	struct rt_sigframe *fr;

	fake_init(&f);
	f.regs.rax = 77;
	f.regs.rbx = 0xb0b;
	f.regs.rflags = 0x202 | 0x400; /* DF set */
	f.thread.sigmask = SIGMASK(SIGHUP);
	memset(f.fpu, 0x5a, sizeof(f.fpu));
	before = f.regs;
	handle(&f, SIGUSR2, SA_SIGINFO, SIGMASK(SIGTERM));
	KT_ASSERT(t, post(&f, false, SIGUSR2, SI_USER));
	KT_EXPECT_EQ(t, abi_sig_deliver(&f.thread, &f.regs, -1, &out), ABI_DELIVER_HANDLER);
	KT_EXPECT_EQ(t, f.regs.rip, HANDLER);
	KT_EXPECT_EQ(t, f.regs.rdi, SIGUSR2);
	KT_EXPECT_EQ(t, (f.regs.rsp + 8) % 16, 0);
	KT_EXPECT(t, f.regs.rsp <= before.rsp - 128 - sizeof(*fr));
	KT_EXPECT_EQ(t, f.regs.rflags & 0x400, 0);
	fr = fake_ptr(&f, f.regs.rsp);
	KT_EXPECT_EQ(t, fr->pretcode, RESTORER);
	KT_EXPECT_EQ(t, f.regs.rsi, f.regs.rsp + offsetof(struct rt_sigframe, info));
	KT_EXPECT_EQ(t, f.regs.rdx, f.regs.rsp + offsetof(struct rt_sigframe, uc));
	KT_EXPECT_EQ(t, fr->info.si_signo, SIGUSR2);
	KT_EXPECT_EQ(t, fr->uc.uc_sigmask, SIGMASK(SIGHUP));
	KT_EXPECT_EQ(t, fr->uc.uc_mcontext.rax, 77);
	KT_EXPECT_EQ(t, fr->uc.uc_mcontext.fpstate % 64, 0);
	KT_EXPECT_EQ(t, *(u8 *)fake_ptr(&f, fr->uc.uc_mcontext.fpstate), 0x5a);
	KT_EXPECT_EQ(t, f.fpu[0], 0); /* the handler starts with a fresh FPU */
	KT_EXPECT_EQ(t, f.thread.sigmask, SIGMASK(SIGHUP) | SIGMASK(SIGTERM) | SIGMASK(SIGUSR2));
	/* The handler returns into the restorer, which calls rt_sigreturn. */
	f.regs.rsp += 8;
	f.regs.rax = 0;
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigreturn, 0, 0, 0, 0), 77);
	KT_EXPECT_EQ(t, f.regs.rip, before.rip);
	KT_EXPECT_EQ(t, f.regs.rsp, before.rsp);
	KT_EXPECT_EQ(t, f.regs.rbx, 0xb0b);
	KT_EXPECT_EQ(t, f.regs.rflags, before.rflags);
	KT_EXPECT_EQ(t, f.thread.sigmask, SIGMASK(SIGHUP));
	KT_EXPECT_EQ(t, f.fpu[100], 0x5a);
	fake_free(&f);
}

KTEST(sig_deliver, bad_frames_end_in_sigsegv)
{
	struct fake_proc f;
	struct abi_sig_outcome out;
	struct rt_sigframe *fr;

	fake_init(&f);
	f.proc.sigactions[SIGUSR1 - 1] = (struct kernel_sigaction){ HANDLER, 0, 0, 0 };
	post(&f, false, SIGUSR1, SI_USER); /* no SA_RESTORER: no way back */
	KT_EXPECT_EQ(t, abi_sig_deliver(&f.thread, &f.regs, -1, &out), ABI_DELIVER_CORE);
	KT_EXPECT_EQ(t, out.sig, SIGSEGV);
	handle(&f, SIGUSR1, 0, 0);
	f.regs.rsp = FAKE_HOLE + 0x200; /* the frame would land in the hole */
	post(&f, false, SIGUSR1, SI_USER);
	KT_EXPECT_EQ(t, abi_sig_deliver(&f.thread, &f.regs, -1, &out), ABI_DELIVER_CORE);
	f.regs.rsp = FAKE_BASE + FAKE_SIZE - 0x1000;
	post(&f, false, SIGUSR1, SI_USER);
	KT_ASSERT(t, abi_sig_deliver(&f.thread, &f.regs, -1, &out) == ABI_DELIVER_HANDLER);
	fr = fake_ptr(&f, f.regs.rsp);
	fr->uc.uc_mcontext.rip = 1ull << 63; /* would not return to user mode */
	f.regs.rsp += 8;
	fake_call(&f, __NR_rt_sigreturn, 0, 0, 0, 0);
	KT_EXPECT_EQ(t, f.regs.rip, HANDLER);
	KT_EXPECT_EQ(t, abi_sig_deliver(&f.thread, &f.regs, -1, &out), ABI_DELIVER_CORE);
	KT_EXPECT_EQ(t, out.sig, SIGSEGV);
	fake_free(&f);
}

/* A syscall nr that returned err, then a signal with the given flags
 * (handled, or no signal at all when flags is ~0). */
static void restart_case(struct ktest_ctx *t, s64 err, u64 flags, u64 want_rax, u64 rip_back)
{
	struct fake_proc f;
	struct abi_sig_outcome out;
	struct rt_sigframe *fr;
	u64 rip;

	fake_init(&f);
	rip = f.regs.rip;
	f.regs.rax = (u64)err;
	if (flags != ~0ull) {
		handle(&f, SIGALRM, flags, 0);
		post(&f, false, SIGALRM, SI_KERNEL);
		KT_EXPECT_EQ(t, abi_sig_deliver(&f.thread, &f.regs, __NR_read, &out),
			     ABI_DELIVER_HANDLER);
		fr = fake_ptr(&f, f.regs.rsp);
		KT_EXPECT_EQ(t, fr->uc.uc_mcontext.rax, want_rax);
		KT_EXPECT_EQ(t, fr->uc.uc_mcontext.rip, rip - rip_back);
	} else {
		KT_EXPECT_EQ(t, abi_sig_deliver(&f.thread, &f.regs, __NR_read, &out),
			     ABI_DELIVER_NONE);
		KT_EXPECT_EQ(t, f.regs.rax, want_rax);
		KT_EXPECT_EQ(t, f.regs.rip, rip - rip_back);
	}
	fake_free(&f);
}

KTEST(sig_deliver, syscall_restarts)
{
	restart_case(t, -ERESTARTSYS, SA_RESTART, __NR_read, 2);
	restart_case(t, -ERESTARTSYS, 0, (u64)-EINTR, 0);
	restart_case(t, -ERESTARTSYS, ~0ull, __NR_read, 2);
	restart_case(t, -ERESTARTNOHAND, SA_RESTART, (u64)-EINTR, 0);
	restart_case(t, -ERESTARTNOHAND, ~0ull, __NR_read, 2);
	restart_case(t, -ERESTARTNOINTR, 0, __NR_read, 2);
	restart_case(t, -ERESTART_RESTARTBLOCK, ~0ull, __NR_restart_syscall, 2);
	restart_case(t, -EAGAIN, 0, (u64)-EAGAIN, 0);
	restart_case(t, 5, ~0ull, 5, 0);
}

KTEST(sig_deliver, default_actions_and_resethand)
{
	struct fake_proc f;
	struct abi_sig_outcome out;

	fake_init(&f);
	post(&f, false, SIGTSTP, SI_USER);
	KT_EXPECT_EQ(t, abi_sig_deliver(&f.thread, &f.regs, -1, &out), ABI_DELIVER_STOP);
	post(&f, false, SIGQUIT, SI_USER);
	KT_EXPECT_EQ(t, abi_sig_deliver(&f.thread, &f.regs, -1, &out), ABI_DELIVER_CORE);
	post(&f, false, SIGTERM, SI_USER);
	KT_EXPECT_EQ(t, abi_sig_deliver(&f.thread, &f.regs, -1, &out), ABI_DELIVER_TERM);
	KT_EXPECT_EQ(t, out.sig, SIGTERM);
	handle(&f, SIGINT, SA_RESETHAND, 0);
	post(&f, false, SIGINT, SI_USER);
	KT_EXPECT_EQ(t, abi_sig_deliver(&f.thread, &f.regs, -1, &out), ABI_DELIVER_HANDLER);
	KT_EXPECT_EQ(t, f.proc.sigactions[SIGINT - 1].handler, SIG_DFL);
	KT_EXPECT_EQ(t, abi_sig_deliver(&f.thread, &f.regs, -1, &out), ABI_DELIVER_NONE);
	fake_free(&f);
}

KTEST(sig_deliver, altstack)
{
	struct fake_proc f;
	struct sigaltstack ss = { .ss_sp = FAKE_BASE + 0x8000, .ss_size = 0x4000 };
	struct sigaltstack *old = fake_ptr(&f, FAKE_BASE + 0x100);
	struct abi_sig_outcome out;
	u64 uss;

	fake_init(&f);
	old = fake_ptr(&f, FAKE_BASE + 0x100);
	uss = fake_put(&f, 0, &ss, sizeof(ss));
	KT_EXPECT_EQ(t, fake_call(&f, __NR_sigaltstack, uss, FAKE_BASE + 0x100, 0, 0), 0);
	KT_EXPECT_EQ(t, old->ss_flags, SS_DISABLE);
	handle(&f, SIGUSR1, SA_ONSTACK, 0);
	post(&f, false, SIGUSR1, SI_USER);
	KT_ASSERT(t, abi_sig_deliver(&f.thread, &f.regs, -1, &out) == ABI_DELIVER_HANDLER);
	KT_EXPECT(t, f.regs.rsp > ss.ss_sp && f.regs.rsp < ss.ss_sp + ss.ss_size);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_sigaltstack, 0, FAKE_BASE + 0x100, 0, 0), 0);
	KT_EXPECT_EQ(t, old->ss_flags, SS_ONSTACK);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_sigaltstack, uss, 0, 0, 0), -EPERM);
	f.regs.rsp = FAKE_BASE + FAKE_SIZE - 0x1000;
	ss.ss_size = 100;
	fake_put(&f, 0, &ss, sizeof(ss));
	KT_EXPECT_EQ(t, fake_call(&f, __NR_sigaltstack, uss, 0, 0, 0), -ENOMEM);
	ss.ss_flags = 7;
	fake_put(&f, 0, &ss, sizeof(ss));
	KT_EXPECT_EQ(t, fake_call(&f, __NR_sigaltstack, uss, 0, 0, 0), -EINVAL);
	ss.ss_flags = SS_DISABLE;
	fake_put(&f, 0, &ss, sizeof(ss));
	KT_EXPECT_EQ(t, fake_call(&f, __NR_sigaltstack, uss, 0, 0, 0), 0);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_sigaltstack, FAKE_HOLE, 0, 0, 0), -EFAULT);
	fake_free(&f);
}

KTEST(sig_deliver, waiting_calls)
{
	struct fake_proc f;
	struct timespec zero = { 0, 0 }, bad = { 0, NSEC_PER_SEC };
	k_sigset_t set = SIGMASK(SIGUSR1), none = 0;
	struct siginfo *si = fake_ptr(&f, FAKE_BASE + 0x200);
	u64 uset, uts, ubad, unone;

	fake_init(&f);
	si = fake_ptr(&f, FAKE_BASE + 0x200);
	uset = fake_put(&f, 0, &set, sizeof(set));
	uts = fake_put(&f, 16, &zero, sizeof(zero));
	ubad = fake_put(&f, 32, &bad, sizeof(bad));
	unone = fake_put(&f, 48, &none, sizeof(none));
	f.thread.sigmask = set;
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigtimedwait, uset, 0, uts, 8), -EAGAIN);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigtimedwait, uset, 0, ubad, 8), -EINVAL);
	post(&f, false, SIGUSR1, SI_QUEUE);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigpending, FAKE_BASE + 0x300, 8, 0, 0), 0);
	KT_EXPECT_EQ(t, *(k_sigset_t *)fake_ptr(&f, FAKE_BASE + 0x300), set);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigtimedwait, uset, FAKE_BASE + 0x200, uts, 8),
		     SIGUSR1);
	KT_EXPECT_EQ(t, si->si_code, SI_QUEUE);
	KT_EXPECT_EQ(t, si->u.rt.value, 0x1234);
	handle(&f, SIGUSR1, 0, 0);
	post(&f, false, SIGUSR1, SI_USER);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigsuspend, unone, 8, 0, 0), -ERESTARTNOHAND);
	KT_EXPECT(t, f.thread.restore_mask);
	KT_EXPECT_EQ(t, f.thread.sigmask, 0);
	KT_EXPECT_EQ(t, f.thread.saved_mask, set);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigsuspend, unone, 4, 0, 0), -EINVAL);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_kill, 42, SIGTERM, 0, 0), 0);
	KT_EXPECT_EQ(t, f.kill_sig, SIGTERM);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_kill, 42, 65, 0, 0), -EINVAL);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_tgkill, 42, 44, 1, 0), -ESRCH);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_tgkill, 41, 43, 1, 0), -ESRCH);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_tgkill, 42, 43, 1, 0), 0);
	KT_EXPECT_EQ(t, f.kill_sig, 1);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_tkill, 0, 1, 0, 0), -EINVAL);
	fake_free(&f);
}
