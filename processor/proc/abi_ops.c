/*
 * The process interface the Linux syscall handlers run against
 * (linux-abi/abi_proc.h), for processes of this pMonitor: user copies
 * through the kernel's checked copies (their faults take the ExCache
 * path), memory calls through addr_space.c, exit through exit.c and
 * thread.c, futexes through futex.c. The file
 * half is in processor/fd/abi_files.c.
 *
 * Clocks: CLOCK_REALTIME is the kernel's wall clock (the CMOS clock, made
 * exact to its next second's edge: kernel/walltime.c); the CPU clocks
 * read the time since boot.
 */
#include <tessera/errno.h>
#include <tessera/pmm.h>
#include <tessera/random.h>
#include <tessera/string.h>
#include <tessera/thread.h>
#include <tessera/time.h>
#include <tessera/uapi/mman.h>
#include <tessera/user.h>

#include "processor/proc/proc.h"
#include "processor/proc/signal.h"

static struct pproc *pabi_proc(struct abi_thread *t)
{
	return t->proc->priv;
}

static int pabi_copy_from(struct abi_thread *t, void *dst, u64 src, u64 len)
{
	return copy_from_user(dst, src, len);
}

static int pabi_copy_to(struct abi_thread *t, u64 dst, const void *src, u64 len)
{
	return copy_to_user(dst, src, len);
}

static int pabi_set_brk(struct abi_thread *t, u64 old_brk, u64 new_brk)
{
	return pmap_brk(pabi_proc(t), old_brk, new_brk);
}

static int pabi_set_seg(struct abi_thread *t, enum abi_seg seg, u64 base)
{
	if (seg != ABI_SEG_FS)
		return -EINVAL;
	user_set_fs_base(base);
	return 0;
}

static u64 pabi_get_seg(struct abi_thread *t, enum abi_seg seg)
{
	return seg == ABI_SEG_FS ? user_get_fs_base() : 0;
}

static u64 pabi_clock(struct abi_thread *t, enum abi_clock clock)
{
	if (clock == ABI_CLOCK_REALTIME)
		return walltime_ns();
	return time_ns();
}

static int pabi_random(struct abi_thread *t, void *buf, u32 len)
{
	random_bytes(buf, len);
	return 0;
}

static __noreturn void pabi_exit(struct abi_thread *t, int status, bool group)
{
	if (!group)
		pthread_exit(t->priv, PWSTATUS_EXIT(status));
	pproc_exit(pabi_proc(t), PWSTATUS_EXIT(status), "");
}

/* The file fields of a private file mapping of f at off (PFD_MMAP_ANON:
 * none, the mapping is anonymous). */
static int pabi_file_vma(struct pproc *p, int fd, u64 off, struct pmem_mmap_req *rq,
			 struct vma *v)
{
	struct pfd_file *f = pfd_get(&p->fds, fd);
	struct pfile_handle h;
	u64 size;
	int err;

	if (!f)
		return -EBADF;
	err = f->ops->mmap_file ? f->ops->mmap_file(f, &h, &size) : -ENODEV;
	pfd_put(f);
	if (err)
		return err;
	v->flags = VMASET_FILE | PVMA_EOF_BUS;
	v->file = pfile_to_vma(h);
	v->off = off;
	v->flen = size > off ? size - off : 0;
	rq->file = h;
	return 0;
}

static long pabi_mmap(struct abi_thread *t, u64 addr, u64 len, u32 prot, u32 flags, int fd,
		      u64 off)
{
	struct pproc *p = pabi_proc(t);
	struct pmem_mmap_req rq = { .addr = addr, .len = len, .prot = prot, .flags = flags,
				    .off = off };
	struct vma v = { 0 };
	int err;

	if (!(flags & MAP_ANONYMOUS)) {
		err = pabi_file_vma(p, fd, off, &rq, &v);
		if (err == PFD_MMAP_ANON)
			rq.flags |= MAP_ANONYMOUS;
		else if (err)
			return err;
	}
	return pmap_mmap(p, &rq, &v);
}

static int pabi_munmap(struct abi_thread *t, u64 addr, u64 len)
{
	return pmap_munmap(pabi_proc(t), addr, len);
}

static int pabi_mprotect(struct abi_thread *t, u64 addr, u64 len, u32 prot)
{
	return pmap_mprotect(pabi_proc(t), addr, len, prot);
}

static int pabi_dup(struct abi_thread *t, int oldfd, int newfd, bool cloexec)
{
	return pfd_dup(&pabi_proc(t)->fds, oldfd, newfd, cloexec);
}

static int pabi_get_cloexec(struct abi_thread *t, int fd)
{
	return pfd_get_cloexec(&pabi_proc(t)->fds, fd);
}

static int pabi_set_cloexec(struct abi_thread *t, int fd, bool on)
{
	return pfd_set_cloexec(&pabi_proc(t)->fds, fd, on);
}

static int pabi_fd_flags(struct abi_thread *t, int fd)
{
	struct pfd_file *f = pfd_get(&pabi_proc(t)->fds, fd);
	int flags;

	if (!f)
		return -EBADF;
	flags = (int)pfd_get_flags(f);
	pfd_put(f);
	return flags;
}

static int pabi_pipe_size(struct abi_thread *t, int fd)
{
	struct pfd_file *f = pfd_get(&pabi_proc(t)->fds, fd);
	int size;

	if (!f)
		return -EBADF;
	size = pfd_is_pipe(f) ? PIPE_SIZE : -EBADF;
	pfd_put(f);
	return size;
}

static int pabi_set_fd_flags(struct abi_thread *t, int fd, u32 flags)
{
	struct pfd_file *f = pfd_get(&pabi_proc(t)->fds, fd);

	if (!f)
		return -EBADF;
	pfd_set_flags(f, flags);
	pfd_put(f);
	return 0;
}

static void pabi_real_timer(struct abi_thread *t, bool set, u64 *value, u64 *interval)
{
	if (set)
		ptimer_set(pabi_proc(t), *value, *interval, value, interval);
	else
		ptimer_get(pabi_proc(t), value, interval);
}

/* CPU time is not accounted per thread yet: a process's is the time since
 * it started, all of it user time. */
static void pabi_times(struct abi_thread *t, struct abi_times *out)
{
	struct pproc *p = pabi_proc(t);

	spin_lock(&p->mon->lock);
	*out = (struct abi_times){ .utime_ns = time_ns() - p->start_ns, .cutime_ns = p->cutime_ns };
	spin_unlock(&p->mon->lock);
	/* Resident now, not the peak: its lines in the ExCache. */
	out->maxrss_kib = (u64)excache_lines_of(&p->mon->cache, p->pid) * (EXCACHE_LINE / 1024);
}

/* The pComponent's memory, and the processes of the caller's vNode. */
static void pabi_sysinfo(struct abi_thread *t, struct abi_sysinfo *out)
{
	struct pproc *p = pabi_proc(t);
	struct list_node *n;

	*out = (struct abi_sysinfo){ .totalram = kernel_pmm.nr_pages * PMEM_PAGE,
				     .freeram = kernel_pmm.free_pages * PMEM_PAGE };
	spin_lock(&p->mon->lock);
	list_for_each(n, &p->mon->procs)
		out->procs += list_entry(n, struct pproc, link)->vnode == p->vnode;
	spin_unlock(&p->mon->lock);
}

/* PR_SET_NAME and PR_GET_NAME: comm under sig_lock (pmon.h). */
static void pabi_comm(struct abi_thread *t, char *buf, bool set)
{
	struct pproc *p = pabi_proc(t);

	spin_lock(&p->abi.sig_lock);
	if (set)
		str_copy(p->comm, buf, sizeof(p->comm));
	else
		str_copy(buf, p->comm, sizeof(p->comm));
	spin_unlock(&p->abi.sig_lock);
}

static u32 pabi_ncpus(struct abi_thread *t)
{
	return (u32)sched_ncpus();
}

static void pabi_yield(struct abi_thread *t)
{
	thread_yield();
}

const struct abi_proc_ops pabi_ops = {
	.copy_from_user = pabi_copy_from,
	.copy_to_user = pabi_copy_to,
	.fd_read = pabi_fd_read,
	.fd_write = pabi_fd_write,
	.fd_is_tty = pabi_fd_is_tty,
	.set_brk = pabi_set_brk,
	.set_seg_base = pabi_set_seg,
	.get_seg_base = pabi_get_seg,
	.clock_ns = pabi_clock,
	.random = pabi_random,
	.exit = pabi_exit,
	.mmap = pabi_mmap,
	.munmap = pabi_munmap,
	.mprotect = pabi_mprotect,
	.open = pabi_open,
	.close = pabi_close,
	.lseek = pabi_lseek,
	.fstat = pabi_fstat,
	.stat = pabi_stat,
	.getdents = pabi_getdents,
	.dup = pabi_dup,
	.get_cloexec = pabi_get_cloexec,
	.set_cloexec = pabi_set_cloexec,
	.fd_flags = pabi_fd_flags,
	.set_fd_flags = pabi_set_fd_flags,
	.pipe = pabi_pipe,
	.pipe_size = pabi_pipe_size,
	.poll = pabi_poll,
	.mknod = pabi_mknod,
	.unlink = pabi_unlink,
	.rename = pabi_rename,
	.link = pabi_link,
	.symlink = pabi_symlink,
	.readlink = pabi_readlink,
	.setattr = pabi_setattr,
	.fsync = pabi_fsync,
	.statfs = pabi_statfs,
	.fd_pread = pabi_fd_pread,
	.fd_pwrite = pabi_fd_pwrite,
	.sig_sleep = psig_sleep,
	.real_timer = pabi_real_timer,
	.times = pabi_times,
	.sysinfo = pabi_sysinfo,
	.clone = pfork,
	.execve = pexec_execve,
	.exec_check = pexec_check,
	.wait = pwait_child,
	.setpgid = ppgrp_setpgid,
	.getpgid = ppgrp_getpgid,
	.getsid = ppgrp_getsid,
	.setsid = ppgrp_setsid,
	.kill = psig_kill,
	.sigqueue = psig_sigqueue,
	.fpu_save = psig_fpu_save,
	.fpu_restore = psig_fpu_restore,
	.fpu_reset = psig_fpu_reset,
	.comm = pabi_comm,
	.chdir = pabi_chdir,
	.getcwd = pabi_getcwd,
	.ncpus = pabi_ncpus,
	.cpu = pthread_cpu,
	.yield = pabi_yield,
	.tkill = pthread_tkill,
	.futex = pfutex_op,
};
