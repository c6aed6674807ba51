/*
 * read, write, readv, writev, pread64, pwrite64, preadv, pwritev: bytes
 * move between user memory and the fd ops through a kernel buffer. A
 * write is carried out chunk by chunk through the thread's bounce buffer
 * until done or short; a read, and a readv, does one fd_read call, so it
 * never blocks again after it got data: into the bounce buffer, or for a
 * larger count into a buffer of up to READ_MAX bytes of its own (so a
 * read takes all a pipe holds, as Linux's does). Before a read the first
 * byte it would fill is checked writable: a read into a bad buffer (NULL,
 * unmapped, read-only) gives -EFAULT and leaves the bytes where they were
 * (one that goes bad further on loses what it read). The
 * positioned calls do the same at an offset (off < 0 below: the file
 * position). A bad user buffer gives -EFAULT if nothing moved, else the
 * count that did, as Linux does.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/uapi/uio.h>

#include "linux-abi/abi.h"
#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

#define MAX_RW_COUNT 0x7ffff000ull /* Linux's cap on one transfer */
#define IOV_BATCH 16               /* iovecs copied in at a time */
#define READ_MAX (256 * 1024ull)   /* the most one read moves */

/* One fd_write, or fd_pwrite at off when off >= 0. */
static long write_at(struct abi_thread *t, int fd, u64 n, s64 off)
{
	const struct abi_proc_ops *ops = t->proc->ops;

	return off < 0 ? ops->fd_write(t, fd, t->iobuf, n) : ops->fd_pwrite(t, fd, t->iobuf, n, off);
}

static long read_at(struct abi_thread *t, int fd, void *buf, u64 n, s64 off)
{
	const struct abi_proc_ops *ops = t->proc->ops;

	return off < 0 ? ops->fd_read(t, fd, buf, n) : ops->fd_pread(t, fd, buf, n, off);
}

/* Can the user byte at uaddr be written: it is read and written back.
 * 0 or -EFAULT. */
static int probe_writable(struct abi_thread *t, u64 uaddr)
{
	u8 b;

	if (abi_copy_in(t, &b, uaddr, 1) || abi_copy_out(t, uaddr, &b, 1))
		return -EFAULT;
	return 0;
}

/* A kernel buffer for a read of up to len bytes: the bounce buffer, or
 * one of up to READ_MAX bytes (*n: its size). Free it with read_buf_put. */
static u8 *read_buf_get(struct abi_thread *t, u64 len, u64 *n)
{
	u8 *buf = NULL;

	*n = MIN(len, READ_MAX);
	if (*n > t->iobuf_size)
		buf = kmalloc(*n);
	if (buf)
		return buf;
	*n = MIN(*n, (u64)t->iobuf_size);
	return t->iobuf;
}

static void read_buf_put(struct abi_thread *t, u8 *buf)
{
	if (buf != t->iobuf)
		kfree(buf);
}

static long do_write(struct abi_thread *t, int fd, u64 ubuf, u64 len, s64 off)
{
	u64 done = 0;

	if (!abi_user_range_ok(ubuf, len))
		return -EFAULT;
	if (len == 0)
		return write_at(t, fd, 0, off);
	while (done < len) {
		u64 n = MIN(len - done, (u64)t->iobuf_size);
		long r = abi_copy_in(t, t->iobuf, ubuf + done, n);

		if (!r)
			r = write_at(t, fd, n, off < 0 ? off : off + (s64)done);
		if (r < 0)
			return done ? (long)done : r;
		done += r;
		if ((u64)r < n)
			break;
	}
	return done;
}

static long do_read(struct abi_thread *t, int fd, u64 ubuf, u64 len, s64 off)
{
	u64 n;
	u8 *buf;
	long r;

	if (!abi_user_range_ok(ubuf, len))
		return -EFAULT;
	buf = read_buf_get(t, len, &n);
	r = n ? probe_writable(t, ubuf) : 0;
	if (!r)
		r = read_at(t, fd, buf, n, off);
	if (r > 0 && abi_copy_out(t, ubuf, buf, r))
		r = -EFAULT;
	read_buf_put(t, buf);
	return r;
}

/* write(fd, buf, count): the whole range must be user space, as Linux's
 * access_ok check before the count is capped. */
long sys_write(struct syscall_args *a)
{
	if (!abi_user_range_ok(a->a[1], a->a[2]))
		return -EFAULT;
	return do_write(a->t, (int)a->a[0], a->a[1], MIN(a->a[2], MAX_RW_COUNT), -1);
}

/* read(fd, buf, count) */
long sys_read(struct syscall_args *a)
{
	if (!abi_user_range_ok(a->a[1], a->a[2]))
		return -EFAULT;
	return do_read(a->t, (int)a->a[0], a->a[1], MIN(a->a[2], MAX_RW_COUNT), -1);
}

/* Check every iovec as Linux's import_iovec does before any transfer:
 * lengths that overflow the total give -EINVAL, ranges outside user space
 * -EFAULT. */
static long check_iov(struct abi_thread *t, u64 uiov, u32 cnt)
{
	struct iovec v[IOV_BATCH];
	u64 total = 0;

	for (u32 i = 0; i < cnt; i += IOV_BATCH) {
		u32 k = MIN(cnt - i, (u32)IOV_BATCH);

		if (abi_copy_in(t, v, uiov + (u64)i * sizeof(v[0]), k * sizeof(v[0])))
			return -EFAULT;
		for (u32 j = 0; j < k; j++) {
			if ((s64)v[j].iov_len < 0 || v[j].iov_len > (u64)INT64_MAX - total)
				return -EINVAL;
			total += v[j].iov_len;
			if (!abi_user_range_ok(v[j].iov_base, v[j].iov_len))
				return -EFAULT;
		}
	}
	return 0;
}

/* writev: each iovec in turn; stop at an error or a short write. */
static long write_iov(struct abi_thread *t, int fd, u64 uiov, u32 cnt, s64 off)
{
	u64 done = 0;
	struct iovec v;
	long r;

	for (u32 i = 0; i < cnt && done < MAX_RW_COUNT; i++) {
		if (abi_copy_in(t, &v, uiov + (u64)i * sizeof(v), sizeof(v)))
			return done ? (long)done : -EFAULT;
		r = do_write(t, fd, v.iov_base, MIN(v.iov_len, MAX_RW_COUNT - done),
			     off < 0 ? off : off + (s64)done);
		if (r < 0)
			return done ? (long)done : r;
		done += r;
		if ((u64)r < v.iov_len)
			break;
	}
	return done;
}

/* What the iovecs can take, up to max, the first byte to fill checked
 * writable: the total, or -EFAULT. */
static long iov_room(struct abi_thread *t, u64 uiov, u32 cnt, u64 max)
{
	u64 want = 0;
	struct iovec v;

	for (u32 i = 0; i < cnt && want < max; i++) {
		if (abi_copy_in(t, &v, uiov + (u64)i * sizeof(v), sizeof(v)) ||
		    (!want && v.iov_len && probe_writable(t, v.iov_base)))
			return -EFAULT;
		want += MIN(v.iov_len, max - want);
	}
	return (long)want;
}

/* Scatter r bytes of buf over the iovecs in order: r, or what moved
 * before a fault (-EFAULT if nothing did). */
static long iov_scatter(struct abi_thread *t, u64 uiov, u32 cnt, const u8 *buf, long r)
{
	u64 done = 0;
	struct iovec v;

	for (u32 i = 0; r > 0 && done < (u64)r && i < cnt; i++) {
		u64 n;

		if (abi_copy_in(t, &v, uiov + (u64)i * sizeof(v), sizeof(v)))
			return done ? (long)done : -EFAULT;
		n = MIN(v.iov_len, (u64)r - done);
		if (abi_copy_out(t, v.iov_base, buf + done, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return r;
}

/* readv: one fd_read into a kernel buffer for what all the iovecs can
 * take (up to its size), then scattered over them in order. */
static long read_iov(struct abi_thread *t, int fd, u64 uiov, u32 cnt, s64 off)
{
	long r = iov_room(t, uiov, cnt, READ_MAX);
	u64 n;
	u8 *buf;

	if (r < 0)
		return r;
	buf = read_buf_get(t, (u64)r, &n);
	r = read_at(t, fd, buf, n, off);
	if (r > 0)
		r = iov_scatter(t, uiov, cnt, buf, r);
	read_buf_put(t, buf);
	return r;
}

static long check_count(struct syscall_args *a)
{
	if (a->a[2] > UIO_MAXIOV)
		return -EINVAL;
	return check_iov(a->t, a->a[1], (u32)a->a[2]);
}

/* writev(fd, iov, iovcnt) */
long sys_writev(struct syscall_args *a)
{
	long err = check_count(a);

	return err ? err : write_iov(a->t, (int)a->a[0], a->a[1], (u32)a->a[2], -1);
}

/* readv(fd, iov, iovcnt) */
long sys_readv(struct syscall_args *a)
{
	long err = check_count(a);

	return err ? err : read_iov(a->t, (int)a->a[0], a->a[1], (u32)a->a[2], -1);
}

/* pread64(fd, buf, count, offset): one fd_pread of at most a bounce
 * buffer, as read does. */
long sys_pread64(struct syscall_args *a)
{
	if ((s64)a->a[3] < 0)
		return -EINVAL;
	if (!abi_user_range_ok(a->a[1], a->a[2]))
		return -EFAULT;
	return do_read(a->t, (int)a->a[0], a->a[1], MIN(a->a[2], MAX_RW_COUNT), (s64)a->a[3]);
}

/* pwrite64(fd, buf, count, offset): chunk by chunk at increasing offsets
 * until done or short. */
long sys_pwrite64(struct syscall_args *a)
{
	if ((s64)a->a[3] < 0)
		return -EINVAL;
	if (!abi_user_range_ok(a->a[1], a->a[2]))
		return -EFAULT;
	return do_write(a->t, (int)a->a[0], a->a[1], MIN(a->a[2], MAX_RW_COUNT), (s64)a->a[3]);
}

/* preadv(fd, iov, iovcnt, pos_l, pos_h) and pwritev: on x86-64 pos_l is
 * the whole offset; a negative one is EINVAL. */
long sys_preadv(struct syscall_args *a)
{
	long err = check_count(a);

	if (!err && (s64)a->a[3] < 0)
		err = -EINVAL;
	return err ? err : read_iov(a->t, (int)a->a[0], a->a[1], (u32)a->a[2], (s64)a->a[3]);
}

long sys_pwritev(struct syscall_args *a)
{
	long err = check_count(a);

	if (!err && (s64)a->a[3] < 0)
		err = -EINVAL;
	return err ? err : write_iov(a->t, (int)a->a[0], a->a[1], (u32)a->a[2], (s64)a->a[3]);
}
