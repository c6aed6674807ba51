/* rt_sigaction and rt_sigprocmask against the fake process. */
#include <string.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>

#include "linux-abi/fake_proc.h"

KTEST(sys_signal, sigaction_recorded)
{
	struct fake_proc f;
	struct kernel_sigaction act = { 0x401234, SA_RESTORER | SA_RESTART,
					0x401000, SIGMASK(SIGINT) | SIGMASK(SIGKILL) };
	struct kernel_sigaction *old;
	u64 uact;

	fake_init(&f);
	uact = fake_put(&f, 0, &act, sizeof(act));
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigaction, SIGTERM, uact, 0, 8), 0);
	KT_EXPECT_EQ(t, f.proc.sigactions[SIGTERM - 1].handler, 0x401234);
	KT_EXPECT_EQ(t, f.proc.sigactions[SIGTERM - 1].mask, SIGMASK(SIGINT));
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigaction, SIGTERM, 0,
				  FAKE_BASE + 0x100, 8), 0);
	old = fake_ptr(&f, FAKE_BASE + 0x100);
	KT_EXPECT_EQ(t, old->handler, 0x401234);
	KT_EXPECT_EQ(t, old->restorer, 0x401000);
	KT_EXPECT_EQ(t, old->flags, SA_RESTORER | SA_RESTART);
	fake_free(&f);
}

KTEST(sys_signal, sigaction_errors)
{
	struct fake_proc f;
	u64 uact;

	fake_init(&f);
	uact = FAKE_BASE;
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigaction, SIGKILL, uact, 0, 8), -EINVAL);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigaction, SIGSTOP, uact, 0, 8), -EINVAL);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigaction, SIGKILL, 0, uact, 8), 0);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigaction, 0, uact, 0, 8), -EINVAL);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigaction, 65, uact, 0, 8), -EINVAL);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigaction, SIGINT, uact, 0, 4), -EINVAL);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigaction, SIGINT, FAKE_HOLE, 0, 8), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigaction, SIGINT, 0, FAKE_HOLE, 8), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigaction, 64, uact, 0, 8), 0);
	fake_free(&f);
}

KTEST(sys_signal, sigprocmask)
{
	struct fake_proc f;
	k_sigset_t set = SIGMASK(SIGINT) | SIGMASK(SIGKILL) | SIGMASK(SIGSTOP);
	u64 uset, uold = FAKE_BASE + 0x100;
	k_sigset_t old;

	fake_init(&f);
	uset = fake_put(&f, 0, &set, 8);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigprocmask, SIG_BLOCK, uset, uold, 8), 0);
	KT_EXPECT_EQ(t, f.thread.sigmask, SIGMASK(SIGINT));
	set = SIGMASK(SIGTERM);
	fake_put(&f, 0, &set, 8);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigprocmask, SIG_SETMASK, uset, uold, 8), 0);
	memcpy(&old, fake_ptr(&f, uold), 8);
	KT_EXPECT_EQ(t, old, SIGMASK(SIGINT));
	KT_EXPECT_EQ(t, f.thread.sigmask, SIGMASK(SIGTERM));
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigprocmask, SIG_UNBLOCK, uset, 0, 8), 0);
	KT_EXPECT_EQ(t, f.thread.sigmask, 0);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigprocmask, 7, uset, 0, 8), -EINVAL);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigprocmask, SIG_BLOCK, uset, 0, 16), -EINVAL);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigprocmask, SIG_BLOCK, FAKE_HOLE, 0, 8), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigprocmask, SIG_BLOCK, 0, FAKE_HOLE, 8), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_rt_sigprocmask, 7, 0, uold, 8), 0);
	fake_free(&f);
}
