/* The fake process of the syscall host tests (fake_proc.h). */
#include <stdlib.h>
#include <string.h>

#include <tessera/errno.h>

#include "linux-abi/abi.h"
#include "linux-abi/fake_proc.h"

static struct fake_proc *fake_of(struct abi_thread *t)
{
	return container_of(t, struct fake_proc, thread);
}

static bool mapped(u64 addr, u64 len)
{
	if (addr < FAKE_BASE || len > FAKE_SIZE || addr - FAKE_BASE > FAKE_SIZE - len)
		return false;
	return addr + len <= FAKE_HOLE || addr >= FAKE_HOLE + ABI_PAGE_SIZE;
}

static int f_copy_from(struct abi_thread *t, void *dst, u64 src, u64 len)
{
	if (!mapped(src, len))
		return -EFAULT;
	memcpy(dst, fake_of(t)->mem + (src - FAKE_BASE), len);
	return 0;
}

static int f_copy_to(struct abi_thread *t, u64 dst, const void *src, u64 len)
{
	if (!mapped(dst, len))
		return -EFAULT;
	memcpy(fake_of(t)->mem + (dst - FAKE_BASE), src, len);
	return 0;
}

static long f_read(struct abi_thread *t, int fd, void *buf, u64 len)
{
	struct fake_proc *f = fake_of(t);
	u64 n;

	if (fd < 0 || fd > 3)
		return -EBADF;
	if (fd != 0)
		return 0;
	n = MIN(len, (u64)(f->in_len - f->in_pos));
	memcpy(buf, f->in + f->in_pos, n);
	f->in_pos += n;
	return n;
}

static long f_write(struct abi_thread *t, int fd, const void *buf, u64 len)
{
	struct fake_proc *f = fake_of(t);
	u64 n = MIN(len, sizeof(f->out) - f->out_len);

	if (fd < 1 || fd > 3)
		return -EBADF;
	memcpy(f->out + f->out_len, buf, n);
	f->out_len += n;
	return n;
}

static int f_is_tty(struct abi_thread *t, int fd)
{
	if (fd < 0 || fd > 3)
		return -EBADF;
	return fd <= 1;
}

static int f_set_brk(struct abi_thread *t, u64 old, u64 new)
{
	struct fake_proc *f = fake_of(t);

	f->brk_calls++;
	return f->brk_fail ? -ENOMEM : 0;
}

static int f_set_seg(struct abi_thread *t, enum abi_seg seg, u64 base)
{
	fake_of(t)->seg[seg] = base;
	return 0;
}

static u64 f_get_seg(struct abi_thread *t, enum abi_seg seg)
{
	return fake_of(t)->seg[seg];
}

/* Each clock reads a distinct fixed time: clock c is (c + 1) * 1.5 s. */
static u64 f_clock(struct abi_thread *t, enum abi_clock c)
{
	return (c + 1) * 1500000000ull;
}

static int f_random(struct abi_thread *t, void *buf, u32 len)
{
	memset(buf, 0xa5, len);
	return 0;
}

static int f_sig_sleep(struct abi_thread *t, k_sigset_t extra, u64 deadline)
{
	k_sigset_t pending = t->pending.set | t->proc->shared.set;

	fake_of(t)->sleeps++;
	return pending & (~t->sigmask | extra) ? 0 : -ETIMEDOUT;
}

static int f_kill(struct abi_thread *t, s32 pid, int sig, s32 code)
{
	struct fake_proc *f = fake_of(t);

	f->kills++;
	f->kill_pid = pid;
	f->kill_sig = sig;
	return pid == 42 || pid == 0 || pid == -40 ? 0 : -ESRCH;
}

/* The fake's one thread is tid 43 of process 42. */
static int f_tkill(struct abi_thread *t, s32 tgid, s32 tid, int sig)
{
	struct fake_proc *f = fake_of(t);

	if ((tgid > 0 && tgid != 42) || tid != 43)
		return -ESRCH;
	f->kills++;
	f->kill_pid = tid;
	f->kill_sig = sig;
	return 0;
}

static long f_futex(struct abi_thread *t, const struct abi_futex *fx)
{
	fake_of(t)->futex = *fx;
	fake_of(t)->futex_calls++;
	return 0;
}

static u32 f_ncpus(struct abi_thread *t)
{
	return 2;
}

static u32 f_cpu(struct abi_thread *t)
{
	return 1;
}

static void f_yield(struct abi_thread *t)
{
	fake_of(t)->yields++;
}

static void f_fpu_save(struct abi_thread *t, void *area)
{
	memcpy(area, fake_of(t)->fpu, sizeof(fake_of(t)->fpu));
}

static void f_fpu_restore(struct abi_thread *t, const void *area)
{
	memcpy(fake_of(t)->fpu, area, sizeof(fake_of(t)->fpu));
}

static void f_fpu_reset(struct abi_thread *t)
{
	memset(fake_of(t)->fpu, 0, sizeof(fake_of(t)->fpu));
}

/* The fake has no file system: every path is missing. */
static long f_readlink(struct abi_thread *t, int dirfd, const char *path, char *buf, u64 size)
{
	return -ENOENT;
}

static const struct abi_proc_ops fake_ops = {
	.copy_from_user = f_copy_from, .copy_to_user = f_copy_to,
	.fd_read = f_read, .fd_write = f_write, .fd_is_tty = f_is_tty,
	.set_brk = f_set_brk, .set_seg_base = f_set_seg,
	.get_seg_base = f_get_seg, .clock_ns = f_clock, .random = f_random,
	.sig_sleep = f_sig_sleep, .kill = f_kill, .tkill = f_tkill, .fpu_save = f_fpu_save,
	.fpu_restore = f_fpu_restore, .fpu_reset = f_fpu_reset,
	.readlink = f_readlink, .futex = f_futex, .ncpus = f_ncpus,
	.cpu = f_cpu, .yield = f_yield,
};

void fake_init(struct fake_proc *f)
{
	memset(f, 0, sizeof(*f));
	f->mem = calloc(1, FAKE_SIZE);
	abi_proc_init(&f->proc, &fake_ops, FAKE_BRK, FAKE_BRK + 64 * MiB);
	f->proc.pid = 42;
	f->proc.ppid = 1;
	f->proc.pgid = 40;
	f->proc.sid = 40;
	f->proc.uid = 1000;
	f->proc.euid = 1001;
	f->proc.gid = 100;
	f->proc.egid = 101;
	f->proc.exe_path = "/bin/busybox";
	f->thread.proc = &f->proc;
	f->thread.tid = 43;
	f->thread.iobuf = f->iobuf;
	f->thread.iobuf_size = sizeof(f->iobuf);
	abi_thread_init(&f->thread, 0);
	f->regs.rsp = FAKE_BASE + FAKE_SIZE - 0x1000;
	f->regs.rip = 0x401000;
	f->regs.cs = 0x23;
	f->regs.ss = 0x1b;
	f->regs.rflags = 0x202;
}

void fake_free(struct fake_proc *f)
{
	free(f->mem);
}

long fake_call(struct fake_proc *f, u64 nr, u64 a0, u64 a1, u64 a2, u64 a3)
{
	struct syscall_args a = { .t = &f->thread, .nr = nr,
				  .a = { a0, a1, a2, a3, 0, 0 }, .regs = &f->regs };

	return abi_syscall(&a);
}

long fake_call6(struct fake_proc *f, u64 nr, const u64 args[6])
{
	struct syscall_args a = { .t = &f->thread, .nr = nr, .regs = &f->regs };

	memcpy(a.a, args, sizeof(a.a));
	return abi_syscall(&a);
}

u64 fake_put(struct fake_proc *f, u64 off, const void *src, u64 len)
{
	memcpy(f->mem + off, src, len);
	return FAKE_BASE + off;
}

void *fake_ptr(struct fake_proc *f, u64 uaddr)
{
	return f->mem + (uaddr - FAKE_BASE);
}
