/* read, write, readv, writev against the fake process: chunking through a
 * small bounce buffer, short transfers, and every kind of bad pointer. */
#include <string.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>
#include <tessera/uapi/uio.h>

#include "linux-abi/fake_proc.h"

static const char text[] = "The quick brown fox jumps over the lazy dog; "
			   "pack my box with five dozen liquor jugs. 0123456789";

KTEST(sys_rw, write_in_chunks)
{
	struct fake_proc f;
	u64 buf;

	fake_init(&f);
	buf = fake_put(&f, 0x100, text, sizeof(text) - 1);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_write, 1, buf, sizeof(text) - 1, 0),
		     sizeof(text) - 1);
	KT_EXPECT_EQ(t, f.out_len, sizeof(text) - 1);
	KT_EXPECT(t, !memcmp(f.out, text, sizeof(text) - 1));
	KT_EXPECT_EQ(t, fake_call(&f, __NR_write, 1, buf, 0, 0), 0);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_write, 9, buf, 5, 0), -EBADF);
	fake_free(&f);
}

KTEST(sys_rw, write_bad_pointers)
{
	struct fake_proc f;

	fake_init(&f);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_write, 1, 1, 10, 0), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_write, 1, 0, 10, 0), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_write, 1, 0xffffffff81000000ull, 10, 0), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_write, 1, FAKE_HOLE, 10, 0), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_write, 1, 0x7ffffffff000ull - 5, 10, 0), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_write, 1, FAKE_BASE, ~0ull - FAKE_BASE, 0), -EFAULT);
	KT_EXPECT_EQ(t, f.out_len, 0);
	/* Two chunks fit before the hole, the third does not. */
	KT_EXPECT_EQ(t, fake_call(&f, __NR_write, 1, FAKE_HOLE - 2 * FAKE_IOBUF, 1000, 0),
		     2 * FAKE_IOBUF);
	fake_free(&f);
}

KTEST(sys_rw, read)
{
	struct fake_proc f;

	fake_init(&f);
	f.in = "line one\n";
	f.in_len = 9;
	KT_EXPECT_EQ(t, fake_call(&f, __NR_read, 0, FAKE_BASE, 100, 0), 9);
	KT_EXPECT(t, !memcmp(fake_ptr(&f, FAKE_BASE), "line one\n", 9));
	KT_EXPECT_EQ(t, fake_call(&f, __NR_read, 0, FAKE_BASE, 100, 0), 0);
	f.in_pos = 0;
	KT_EXPECT_EQ(t, fake_call(&f, __NR_read, 0, FAKE_HOLE, 100, 0), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_read, 0, 0xffff900000000000ull, 100, 0), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_read, 7, FAKE_BASE, 100, 0), -EBADF);
	fake_free(&f);
}

static u64 put_iov(struct fake_proc *f, u64 off, const struct iovec *v, u32 n)
{
	return fake_put(f, off, v, n * sizeof(*v));
}

KTEST(sys_rw, writev_gathers)
{
	struct fake_proc f;
	struct iovec v[3];
	u64 uiov;

	fake_init(&f);
	v[0] = (struct iovec){ fake_put(&f, 0x1000, "hello", 5), 5 };
	v[1] = (struct iovec){ FAKE_HOLE, 0 };
	v[2] = (struct iovec){ fake_put(&f, 0x2000, text, 90), 90 };
	uiov = put_iov(&f, 0, v, 3);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_writev, 2, uiov, 3, 0), 95);
	KT_EXPECT(t, !memcmp(f.out, "hello", 5));
	KT_EXPECT(t, !memcmp(f.out + 5, text, 90));
	KT_EXPECT_EQ(t, fake_call(&f, __NR_writev, 2, uiov, 0, 0), 0);
	fake_free(&f);
}

KTEST(sys_rw, writev_validates)
{
	struct fake_proc f;
	struct iovec v[2];
	u64 uiov;

	fake_init(&f);
	v[0] = (struct iovec){ fake_put(&f, 0x1000, "hello", 5), 5 };
	v[1] = (struct iovec){ 0xffff800000000000ull, 5 };
	uiov = put_iov(&f, 0, v, 2);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_writev, 1, uiov, 1025, 0), -EINVAL);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_writev, 1, uiov, ~0ull, 0), -EINVAL);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_writev, 1, uiov, 2, 0), -EFAULT);
	KT_EXPECT_EQ(t, f.out_len, 0);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_writev, 1, FAKE_HOLE, 1, 0), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_writev, 1, 8, 1, 0), -EFAULT);
	v[1] = (struct iovec){ FAKE_BASE, 1ull << 63 };
	uiov = put_iov(&f, 0, v, 2);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_writev, 1, uiov, 2, 0), -EINVAL);
	v[1] = (struct iovec){ FAKE_HOLE, 5 };
	uiov = put_iov(&f, 0, v, 2);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_writev, 1, uiov, 2, 0), 5);
	fake_free(&f);
}

KTEST(sys_rw, readv_scatters)
{
	struct fake_proc f;
	struct iovec v[2];
	u64 uiov;

	fake_init(&f);
	f.in = "abcdefgh";
	f.in_len = 8;
	v[0] = (struct iovec){ FAKE_BASE + 0x1000, 3 };
	v[1] = (struct iovec){ FAKE_BASE + 0x2000, 100 };
	uiov = put_iov(&f, 0, v, 2);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_readv, 0, uiov, 2, 0), 8);
	KT_EXPECT(t, !memcmp(fake_ptr(&f, FAKE_BASE + 0x1000), "abc", 3));
	KT_EXPECT(t, !memcmp(fake_ptr(&f, FAKE_BASE + 0x2000), "defgh", 5));
	v[1] = (struct iovec){ 0xffff800000000000ull, 4 };
	uiov = put_iov(&f, 0, v, 2);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_readv, 0, uiov, 2, 0), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_readv, 0, uiov, 2000, 0), -EINVAL);
	fake_free(&f);
}
