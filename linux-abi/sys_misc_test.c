/* prlimit64, clocks, getrandom, ioctl, brk and readlink against the fake
 * process. */
#include <string.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>
#include <tessera/uapi/ioctls.h>
#include <tessera/uapi/random.h>
#include <tessera/uapi/resource.h>
#include <tessera/uapi/time.h>

#include "linux-abi/fake_proc.h"

#define OUT (FAKE_BASE + 0x100)

KTEST(sys_misc, prlimit64)
{
	struct fake_proc f;
	struct rlimit *r = NULL;
	struct rlimit same = { 1024, 4096 }, more = { 4096, 4096 };

	fake_init(&f);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_prlimit64, 0, RLIMIT_STACK, 0, OUT), 0);
	r = fake_ptr(&f, OUT);
	KT_EXPECT_EQ(t, r->rlim_cur, 8 * MiB);
	KT_EXPECT_EQ(t, r->rlim_max, RLIM_INFINITY);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_prlimit64, 42, RLIMIT_NOFILE, 0, OUT), 0);
	KT_EXPECT_EQ(t, r->rlim_cur, 1024);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_getrlimit, RLIMIT_NOFILE, OUT, 0, 0), 0);
	KT_EXPECT_EQ(t, r->rlim_max, 4096);
	fake_put(&f, 0, &same, sizeof(same));
	KT_EXPECT_EQ(t, fake_call(&f, __NR_prlimit64, 0, RLIMIT_NOFILE, FAKE_BASE, 0), 0);
	fake_put(&f, 0, &more, sizeof(more));
	KT_EXPECT_EQ(t, fake_call(&f, __NR_setrlimit, RLIMIT_NOFILE, FAKE_BASE, 0, 0), -EPERM);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_prlimit64, 0, RLIM_NLIMITS, 0, OUT), -EINVAL);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_prlimit64, 7, RLIMIT_STACK, 0, OUT), -ESRCH);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_prlimit64, 0, RLIMIT_STACK, 0, FAKE_HOLE), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_prlimit64, 0, RLIMIT_STACK, FAKE_HOLE, 0), -EFAULT);
	fake_free(&f);
}

KTEST(sys_misc, clocks)
{
	struct fake_proc f;
	struct timespec *ts;

	fake_init(&f);
	ts = fake_ptr(&f, OUT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_clock_gettime, CLOCK_REALTIME, OUT, 0, 0), 0);
	KT_EXPECT_EQ(t, ts->tv_sec, 1);
	KT_EXPECT_EQ(t, ts->tv_nsec, 500000000);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_clock_gettime, CLOCK_BOOTTIME, OUT, 0, 0), 0);
	KT_EXPECT_EQ(t, ts->tv_sec, 3);
	KT_EXPECT_EQ(t, ts->tv_nsec, 0);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_clock_gettime, 10, OUT, 0, 0), -EINVAL);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_clock_gettime, -2ull, OUT, 0, 0), -EINVAL);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_clock_gettime, CLOCK_MONOTONIC, FAKE_HOLE, 0, 0), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_clock_getres, CLOCK_MONOTONIC, OUT, 0, 0), 0);
	KT_EXPECT_EQ(t, ts->tv_nsec, 1);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_clock_getres, CLOCK_MONOTONIC, 0, 0, 0), 0);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_time, 0, 0, 0, 0), 1);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_gettimeofday, OUT, 0, 0, 0), 0);
	KT_EXPECT_EQ(t, ts->tv_nsec, 500000);
	fake_free(&f);
}

KTEST(sys_misc, getrandom)
{
	struct fake_proc f;
	u8 *p;

	fake_init(&f);
	p = fake_ptr(&f, OUT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_getrandom, OUT, 200, 0, 0), 200);
	KT_EXPECT(t, p[0] == 0xa5 && p[199] == 0xa5 && p[200] == 0);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_getrandom, OUT, 8, 0x80, 0), -EINVAL);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_getrandom, OUT, 8,
				  GRND_RANDOM | GRND_INSECURE, 0), -EINVAL);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_getrandom, FAKE_HOLE, 8, 0, 0), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_getrandom, FAKE_HOLE - FAKE_IOBUF, 1000, 0, 0),
		     FAKE_IOBUF);
	fake_free(&f);
}

KTEST(sys_misc, ioctl)
{
	struct fake_proc f;
	struct termios *tio;
	struct winsize *ws;

	fake_init(&f);
	tio = fake_ptr(&f, OUT);
	ws = fake_ptr(&f, OUT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_ioctl, 2, TCGETS, OUT, 0), -ENOTTY);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_ioctl, 3, TIOCGWINSZ, OUT, 0), -ENOTTY);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_ioctl, 3, TIOCGPGRP, OUT, 0), -ENOTTY);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_ioctl, 9, TCGETS, OUT, 0), -EBADF);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_ioctl, 1, TCGETS, OUT, 0), 0);
	KT_EXPECT(t, tio->c_lflag & ICANON);
	KT_EXPECT_EQ(t, tio->c_cc[VINTR], 3);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_ioctl, 1, TCSETS, OUT, 0), 0);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_ioctl, 1, TCSETS, FAKE_HOLE, 0), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_ioctl, 0, TIOCGWINSZ, OUT, 0), 0);
	KT_EXPECT_EQ(t, ws->ws_row, 24);
	KT_EXPECT_EQ(t, ws->ws_col, 80);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_ioctl, 0, TIOCGPGRP, OUT, 0), 0);
	KT_EXPECT_EQ(t, *(s32 *)fake_ptr(&f, OUT), 40);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_ioctl, 0, TCGETS, 0, 0), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_ioctl, 0, 0x12345678, OUT, 0), -ENOTTY);
	fake_free(&f);
}

KTEST(sys_misc, brk)
{
	struct fake_proc f;

	fake_init(&f);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_brk, 0, 0, 0, 0), FAKE_BRK);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_brk, FAKE_BRK + 0x3001, 0, 0, 0), FAKE_BRK + 0x3001);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_brk, 0, 0, 0, 0), FAKE_BRK + 0x3001);
	KT_EXPECT_EQ(t, f.brk_calls, 1);
	f.brk_fail = true;
	KT_EXPECT_EQ(t, fake_call(&f, __NR_brk, FAKE_BRK + 0x10000, 0, 0, 0), FAKE_BRK + 0x3001);
	f.brk_fail = false;
	KT_EXPECT_EQ(t, fake_call(&f, __NR_brk, FAKE_BRK - 0x1000, 0, 0, 0), FAKE_BRK + 0x3001);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_brk, FAKE_BRK + 65 * MiB, 0, 0, 0), FAKE_BRK + 0x3001);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_brk, ~0ull, 0, 0, 0), FAKE_BRK + 0x3001);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_brk, FAKE_BRK, 0, 0, 0), FAKE_BRK);
	fake_free(&f);
}

KTEST(sys_misc, readlink_self_exe)
{
	struct fake_proc f;
	u64 path = FAKE_BASE, path2;

	fake_init(&f);
	fake_put(&f, 0, "/proc/self/exe", 15);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_readlink, path, OUT, 100, 0), 12);
	KT_EXPECT(t, !memcmp(fake_ptr(&f, OUT), "/bin/busybox", 12));
	KT_EXPECT_EQ(t, fake_call(&f, __NR_readlink, path, OUT, 4, 0), 4);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_readlinkat, -100, path, OUT, 100), 12);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_readlink, path, OUT, 0, 0), -EINVAL);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_readlink, path, FAKE_HOLE, 100, 0), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_readlink, FAKE_HOLE, OUT, 100, 0), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_readlink, 0, OUT, 100, 0), -EFAULT);
	/* A string that ends right before the unmapped page still reads. */
	path2 = fake_put(&f, FAKE_HOLE - FAKE_BASE - 15, "/proc/self/exe", 15);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_readlink, path2, OUT, 100, 0), 12);
	fake_put(&f, FAKE_HOLE - FAKE_BASE - 4, "/etc", 4);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_readlink, FAKE_HOLE - 4, OUT, 100, 0), -EFAULT);
	fake_put(&f, 0, "/etc/passwd", 12);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_readlink, path, OUT, 100, 0), -ENOENT);
	fake_free(&f);
}
