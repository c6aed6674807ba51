/* Identity, uname and arch_prctl tests against the fake process,
 * including bad pointers of every kind. */
#include <string.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>
#include <tessera/uapi/prctl.h>
#include <tessera/uapi/utsname.h>

#include "linux-abi/fake_proc.h"

KTEST(sys_ids, ids)
{
	struct fake_proc f;

	fake_init(&f);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_getpid, 0, 0, 0, 0), 42);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_gettid, 0, 0, 0, 0), 43);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_getppid, 0, 0, 0, 0), 1);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_getuid, 0, 0, 0, 0), 1000);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_geteuid, 0, 0, 0, 0), 1001);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_getgid, 0, 0, 0, 0), 100);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_getegid, 0, 0, 0, 0), 101);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_getpgrp, 0, 0, 0, 0), 40);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_set_tid_address, FAKE_BASE + 8, 0, 0, 0), 43);
	KT_EXPECT_EQ(t, f.thread.clear_child_tid, FAKE_BASE + 8);
	fake_free(&f);
}

KTEST(sys_ids, uname)
{
	struct fake_proc f;
	struct utsname *u;

	fake_init(&f);
	memset(f.mem, 0xff, sizeof(*u));
	KT_ASSERT(t, fake_call(&f, __NR_uname, FAKE_BASE, 0, 0, 0) == 0);
	u = fake_ptr(&f, FAKE_BASE);
	KT_EXPECT(t, !strcmp(u->sysname, "Linux"));
	KT_EXPECT(t, !strcmp(u->release, "6.1.0-tessera"));
	KT_EXPECT(t, !strcmp(u->machine, "x86_64"));
	KT_EXPECT(t, !strcmp(u->nodename, "tessera"));
	KT_EXPECT_EQ(t, u->domainname[UTS_LEN - 1], 0);
	f.proc.nodename = "node7";
	KT_ASSERT(t, fake_call(&f, __NR_uname, FAKE_BASE, 0, 0, 0) == 0);
	KT_EXPECT(t, !strcmp(u->nodename, "node7"));
	KT_EXPECT_EQ(t, fake_call(&f, __NR_uname, 0, 0, 0, 0), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_uname, FAKE_HOLE - 100, 0, 0, 0), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_uname, 0xffff800000000000ull, 0, 0, 0), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_uname, ~0ull - 10, 0, 0, 0), -EFAULT);
	fake_free(&f);
}

KTEST(sys_ids, arch_prctl)
{
	struct fake_proc f;
	u64 got;

	fake_init(&f);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_arch_prctl, ARCH_SET_FS, 0x4c0000, 0, 0), 0);
	KT_EXPECT_EQ(t, f.seg[ABI_SEG_FS], 0x4c0000);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_arch_prctl, ARCH_GET_FS, FAKE_BASE, 0, 0), 0);
	memcpy(&got, fake_ptr(&f, FAKE_BASE), 8);
	KT_EXPECT_EQ(t, got, 0x4c0000);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_arch_prctl, ARCH_SET_GS, 0x1000, 0, 0), 0);
	KT_EXPECT_EQ(t, f.seg[ABI_SEG_GS], 0x1000);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_arch_prctl, ARCH_GET_GS, FAKE_HOLE, 0, 0), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_arch_prctl, ARCH_SET_FS,
				  0xffff800000000000ull, 0, 0), -EPERM);
	KT_EXPECT_EQ(t, f.seg[ABI_SEG_FS], 0x4c0000);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_arch_prctl, 0x9999, 0, 0, 0), -EINVAL);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_arch_prctl, ARCH_GET_CPUID, 0, 0, 0), 1);
	fake_free(&f);
}
