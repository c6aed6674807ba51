/*
 * The process interface the syscall handlers run against. The pMonitor owns
 * processes and threads; it embeds a struct abi_proc in each process and a
 * struct abi_thread in each thread, fills the ops table, and calls
 * abi_syscall() (syscall.h) on the calling thread's syscall trap.
 *
 * Contracts of the ops, which every implementation keeps:
 *  - Addresses called "user" are user virtual addresses of the calling
 *    thread's process; the handlers have already checked that the range is
 *    inside user space (abi.h). copy_from_user/copy_to_user return 0 or
 *    -EFAULT if any byte is not mapped with the needed access; they never
 *    fault the monitor.
 *  - fd_read/fd_write move bytes between a kernel buffer and the open file
 *    fd and return the count (short is fine) or -errno (-EBADF for a closed
 *    fd). fd_is_tty returns 1 for a terminal, 0 for anything else, -EBADF.
 *  - set_brk makes [ALIGN_UP(old), ALIGN_UP(new)) mapped, zeroed and
 *    read-write when new > old, and unmaps [ALIGN_UP(new), ALIGN_UP(old))
 *    when new < old (page-aligned up); 0 or -ENOMEM, and nothing changes on
 *    failure.
 *  - set_seg_base/get_seg_base set and read the calling thread's FS or GS
 *    base (the base is already known to be a user address).
 *  - clock_ns reads a clock in nanoseconds; random fills len bytes.
 *
 * Locking: fields marked [T] belong to one thread and only it touches them;
 * [P] are process-wide: the brk fields change only inside sys_brk, which
 * the pMonitor runs under its process memory lock (set_brk needs that
 * lock anyway); the others are set when the process is created and
 * read-only after, except where a lock is named. [S] fields are guarded
 * by the process's sig_lock (a spinlock, never held across a sleep or a
 * user copy): the signal actions and pending sets, and each thread's
 * blocked mask and sleep state, which the senders of signals read to
 * decide whom to wake. A thread changes its own mask only under sig_lock.
 */
#ifndef LINUX_ABI_ABI_PROC_H
#define LINUX_ABI_ABI_PROC_H

#include <tessera/lock.h>
#include <tessera/types.h>
#include <tessera/uapi/poll.h>
#include <tessera/uapi/signal.h>
#include <tessera/uapi/stat.h>

#include "linux-abi/abi_signal.h"

struct abi_thread;
struct statfs;
struct user_regs;

/* What setattr changes: the fields named in valid. Times are ns since
 * 1970; the *_NOW bits take the current time instead. */
#define ABI_SET_MODE 1u
#define ABI_SET_UID 2u
#define ABI_SET_GID 4u
#define ABI_SET_SIZE 8u
#define ABI_SET_ATIME 16u
#define ABI_SET_MTIME 32u
#define ABI_SET_ATIME_NOW 64u
#define ABI_SET_MTIME_NOW 128u
struct abi_setattr {
	u32 valid;
	u32 mode, uid, gid;
	u64 size;
	s64 atime_ns, mtime_ns;
};

enum abi_seg { ABI_SEG_FS, ABI_SEG_GS };

/* A clone the handler checked (sys_fork.c): fork, vfork, or clone with
 * the flags the pMonitor implements. The child starts from regs (the
 * caller's frame) with rax 0, on stack if that is not 0. */
struct abi_clone {
	u64 flags;        /* CLONE_*, the exit signal masked off */
	u32 exit_signal;  /* sent to the parent when the child ends (0: none) */
	u32 pad;
	u64 stack;
	u64 parent_tid;   /* CLONE_PARENT_SETTID: the child's tid goes here */
	u64 child_tid;    /* CLONE_CHILD_SETTID / CLONE_CHILD_CLEARTID */
	u64 tls;          /* CLONE_SETTLS: the child's FS base */
	struct user_regs *regs;
};

/* A futex call the handler checked (sys_futex.c): cmd is FUTEX_WAIT,
 * FUTEX_WAKE, FUTEX_REQUEUE, FUTEX_CMP_REQUEUE or FUTEX_WAKE_OP (the
 * BITSET forms arrive as WAIT and WAKE with their bitset, the plain ones
 * with FUTEX_BITSET_MATCH_ANY); uaddr and uaddr2 are aligned user
 * addresses. shared: FUTEX_PRIVATE_FLAG was not given. */
struct abi_futex {
	u32 cmd;
	u32 val;       /* WAIT: the expected value; others: how many to wake */
	u32 val2;      /* REQUEUE: how many to move; WAKE_OP: to wake at uaddr2 */
	u32 val3;      /* CMP_REQUEUE: the expected value; WAKE_OP: the operation */
	u32 bitset;    /* WAIT, WAKE: non-zero */
	bool shared;
	u64 uaddr, uaddr2;
	u64 deadline;  /* WAIT: time_ns() to give up at, 0: none */
};

/* An execve the handler copied in (sys_exec.c): the path as given (an
 * absolute one, or relative to dirfd), and argv and envp in kernel
 * memory, within Linux's limits. On success the pMonitor has replaced
 * *regs with the new program's. */
struct abi_exec {
	const char *path;
	const char *const *argv;
	u32 argc;
	u32 envc;
	const char *const *envp;
	struct user_regs *regs;
};

/* CPU time of a process and of its children that were waited for. */
struct abi_times {
	u64 utime_ns, stime_ns;
	u64 cutime_ns, cstime_ns;
	u64 maxrss_kib; /* its resident memory (getrusage's ru_maxrss) */
};

/* What sysinfo reports of the machine: bytes and a count. */
struct abi_sysinfo {
	u64 totalram, freeram;
	u32 procs;
	u32 pad;
};

/* What a wait found: a child that ended (CLD_EXITED with its exit code,
 * CLD_KILLED or CLD_DUMPED with the signal), stopped (CLD_STOPPED, the
 * signal) or continued (CLD_CONTINUED, SIGCONT). */
struct abi_wait_result {
	u32 pid;
	u32 uid;
	s32 code;
	s32 status;
	u64 utime_ns, stime_ns;
};

enum abi_clock {
	ABI_CLOCK_REALTIME,     /* wall clock, ns since 1970 */
	ABI_CLOCK_MONOTONIC,    /* ns since boot, never goes back */
	ABI_CLOCK_PROCESS_CPU,  /* CPU time of the whole process */
	ABI_CLOCK_THREAD_CPU,   /* CPU time of the calling thread */
};

struct abi_proc_ops {
	int (*copy_from_user)(struct abi_thread *t, void *dst, u64 src, u64 len);
	int (*copy_to_user)(struct abi_thread *t, u64 dst, const void *src, u64 len);
	long (*fd_read)(struct abi_thread *t, int fd, void *buf, u64 len);
	long (*fd_write)(struct abi_thread *t, int fd, const void *buf, u64 len);
	int (*fd_is_tty)(struct abi_thread *t, int fd);
	int (*set_brk)(struct abi_thread *t, u64 old_brk, u64 new_brk);
	int (*set_seg_base)(struct abi_thread *t, enum abi_seg seg, u64 base);
	u64 (*get_seg_base)(struct abi_thread *t, enum abi_seg seg);
	u64 (*clock_ns)(struct abi_thread *t, enum abi_clock clock);
	int (*random)(struct abi_thread *t, void *buf, u32 len);

	/* Processes and memory (sys_exit.c, sys_mmap.c). exit ends the
	 * thread (group: the whole process) with status and never returns.
	 * mmap/munmap/mprotect get Linux's arguments after the checks that
	 * need no address space (alignment, length, flag combinations); mmap
	 * returns the address or -errno. */
	__noreturn void (*exit)(struct abi_thread *t, int status, bool group);
	long (*mmap)(struct abi_thread *t, u64 addr, u64 len, u32 prot, u32 flags, int fd,
		     u64 off);
	int (*munmap)(struct abi_thread *t, u64 addr, u64 len);
	int (*mprotect)(struct abi_thread *t, u64 addr, u64 len, u32 prot);

	/* Files (sys_file.c, sys_fd.c). Paths are kernel strings, relative
	 * ones resolved against dirfd (AT_FDCWD: the working directory).
	 * open returns the new fd or -errno (mode, for O_CREAT, already has
	 * the umask taken out); stat fills a Linux struct stat
	 * (follow: follow a final symlink); getdents packs linux_dirent64
	 * records into buf and returns their size, 0 at the end, -EINVAL if
	 * len cannot hold the next one; dup follows dup3 (newfd < 0: lowest
	 * free, cloexec sets FD_CLOEXEC); get_cloexec returns FD_CLOEXEC or
	 * 0; fd_flags returns the O_* access mode and status flags, and
	 * set_fd_flags sets the status flags F_SETFL may change. */
	int (*open)(struct abi_thread *t, int dirfd, const char *path, u32 flags, u32 mode);
	int (*close)(struct abi_thread *t, int fd);
	s64 (*lseek)(struct abi_thread *t, int fd, s64 off, int whence);
	int (*fstat)(struct abi_thread *t, int fd, struct stat *st);
	int (*stat)(struct abi_thread *t, int dirfd, const char *path, bool follow,
		    struct stat *st);
	long (*getdents)(struct abi_thread *t, int fd, void *buf, u64 len);
	int (*dup)(struct abi_thread *t, int oldfd, int newfd, bool cloexec);
	int (*get_cloexec)(struct abi_thread *t, int fd);
	int (*set_cloexec)(struct abi_thread *t, int fd, bool on);
	int (*fd_flags)(struct abi_thread *t, int fd);
	int (*set_fd_flags)(struct abi_thread *t, int fd, u32 flags);
	/* pipe makes a pipe (flags: O_CLOEXEC, O_NONBLOCK), its read end
	 * in fds[0] and its write end in fds[1]: 0 or -errno (-EMFILE). poll
	 * fills revents of fds[0..n) (negative fds ignored, closed ones
	 * POLLNVAL) and returns how many have events, waiting until one has
	 * or time_ns() reaches deadline (0: no limit; ~0: do not wait; 0
	 * returned then); a signal ends the wait with -ERESTARTNOHAND.
	 * pipe_size is the bytes fd's pipe holds (F_GETPIPE_SZ), -EBADF
	 * when fd is not open or not a pipe. */
	int (*pipe)(struct abi_thread *t, u32 flags, int fds[2]);
	int (*pipe_size)(struct abi_thread *t, int fd);
	int (*poll)(struct abi_thread *t, struct pollfd *fds, u32 n, u64 deadline);

	/* Names, attributes and durability (sys_namei.c, sys_attr.c,
	 * sys_sync.c, sys_rw.c). Paths as for open; a mode already has the
	 * umask taken out. mknod makes a node of mode's type (S_IFDIR: a
	 * directory, as mkdir); unlink removes a non-directory, or with dir
	 * an empty directory (rmdir); rename follows renameat2 (flags
	 * RENAME_NOREPLACE, RENAME_EXCHANGE); link follows linkat (follow:
	 * AT_SYMLINK_FOLLOW); readlink copies at most size bytes, no NUL.
	 * setattr changes the attributes sa names of path from dirfd, or of
	 * the open file dirfd when path is NULL (follow: a final symlink is
	 * followed). fsync makes fd's data durable (fd < 0: everything,
	 * sync(2)). statfs describes the file system of path, or of the open
	 * file dirfd when path is NULL. pread/pwrite move bytes at an offset
	 * without moving the file position. */
	int (*mknod)(struct abi_thread *t, int dirfd, const char *path, u32 mode, u64 dev);
	int (*unlink)(struct abi_thread *t, int dirfd, const char *path, bool dir);
	int (*rename)(struct abi_thread *t, int odirfd, const char *opath, int ndirfd,
		      const char *npath, u32 flags);
	int (*link)(struct abi_thread *t, int odirfd, const char *opath, int ndirfd,
		    const char *npath, bool follow);
	int (*symlink)(struct abi_thread *t, const char *target, int dirfd, const char *path);
	long (*readlink)(struct abi_thread *t, int dirfd, const char *path, char *buf, u64 size);
	int (*setattr)(struct abi_thread *t, int dirfd, const char *path, bool follow,
		       const struct abi_setattr *sa);
	int (*fsync)(struct abi_thread *t, int fd, bool datasync);
	int (*statfs)(struct abi_thread *t, int dirfd, const char *path, struct statfs *st);
	long (*fd_pread)(struct abi_thread *t, int fd, void *buf, u64 len, u64 off);
	long (*fd_pwrite)(struct abi_thread *t, int fd, const void *buf, u64 len, u64 off);

	/* Signals (sys_signal.c, sys_kill.c, sig_frame.c, abi_signal.c).
	 * sig_sleep sleeps until a signal in extra is pending for t, or one t
	 * does not block, or time_ns() reaches deadline (0: none): 0 when a
	 * signal ended the sleep, -ETIMEDOUT when the deadline did.
	 * kill is kill(2)'s choice of targets (pid > 0: that process, 0: the
	 * caller's process group, -1: every process the caller may signal
	 * but itself, < -1: group -pid), sig 0 only checks: 0, -ESRCH,
	 * -EPERM; code is the siginfo's (SI_USER, SI_TKILL). sigqueue
	 * sends sig to process pid (> 0) with rec's siginfo details
	 * (rt_sigqueueinfo): 0, -ESRCH. fpu_save/fpu_restore move the calling thread's FPU/SSE
	 * registers to and from a SIG_FPSTATE_SIZE fxsave image (restore
	 * makes the image safe for the CPU first); fpu_reset gives them
	 * their initial values. */
	int (*sig_sleep)(struct abi_thread *t, k_sigset_t extra, u64 deadline);
	/* Timers and accounting (sys_timer.c). real_timer is ITIMER_REAL:
	 * with set it arms the timer *value ns from now (0: disarms), then
	 * every *interval ns (0: once), and both get what the timer had
	 * before (time left, 0 when it was disarmed); without, it only reads
	 * them. SIGALRM comes at expiry. times gives the CPU times, sysinfo
	 * the machine's memory and the processes of the caller's vNode. */
	void (*real_timer)(struct abi_thread *t, bool set, u64 *value, u64 *interval);
	void (*times)(struct abi_thread *t, struct abi_times *out);
	void (*sysinfo)(struct abi_thread *t, struct abi_sysinfo *out);
	/* Processes (sys_fork.c, sys_wait.c, sys_pgrp.c). clone makes a
	 * child as abi_clone says: its pid, or -errno (-EAGAIN, -ENOMEM).
	 * wait waits for a child that idtype (ABI_P_*) and id name to do
	 * what options (ABI_W*) ask: its pid and *out, 0 with ABI_WNOHANG
	 * when none has yet, -ECHILD when there is no such child,
	 * -ERESTARTSYS when a signal came. setpgid, getpgid, getsid and
	 * setsid have Linux's rules and errors (pid 0: the caller). */
	long (*clone)(struct abi_thread *t, const struct abi_clone *c);
	/* execve: 0 (regs now start the new program), or -errno with the
	 * caller unchanged (-ENOENT, -EACCES, -ENOEXEC, -E2BIG, -ELOOP).
	 * exec_check gives the errors of opening the file, which Linux gives
	 * before it copies the arguments (-ENOENT, -ENOTDIR, -EACCES), or 0. */
	int (*execve)(struct abi_thread *t, int dirfd, const struct abi_exec *e);
	int (*exec_check)(struct abi_thread *t, int dirfd, const char *path);
	int (*wait)(struct abi_thread *t, int idtype, s32 id, u32 options,
		    struct abi_wait_result *out);
	int (*setpgid)(struct abi_thread *t, s32 pid, s32 pgid);
	s32 (*getpgid)(struct abi_thread *t, s32 pid);
	s32 (*getsid)(struct abi_thread *t, s32 pid);
	s32 (*setsid)(struct abi_thread *t);
	int (*kill)(struct abi_thread *t, s32 pid, int sig, s32 code);
	int (*sigqueue)(struct abi_thread *t, s32 pid, int sig, const struct abi_sigrec *rec);
	void (*fpu_save)(struct abi_thread *t, void *area);
	void (*fpu_restore)(struct abi_thread *t, const void *area);
	void (*fpu_reset)(struct abi_thread *t);
	/* Names, places and CPUs (sys_prctl.c, sys_cwd.c, sys_sched.c).
	 * comm copies the process's name (what /proc shows as comm) into
	 * buf, PR_TASK_COMM_LEN bytes with the NUL, or with set takes it from
	 * buf (cut to 15 bytes). chdir makes path (relative to dirfd) the
	 * working directory, or with path NULL the open directory dirfd
	 * (fchdir): 0, -ENOENT, -ENOTDIR, -EBADF, -EACCES. getcwd copies the
	 * working directory and its NUL into buf: its length with the NUL,
	 * or -ERANGE when size cannot hold it. ncpus is how many CPUs the
	 * pComponent runs processes on (0..n-1), cpu the one the caller runs
	 * on now; yield gives the CPU to another ready thread, if any. */
	void (*comm)(struct abi_thread *t, char *buf, bool set);
	int (*chdir)(struct abi_thread *t, int dirfd, const char *path);
	long (*getcwd)(struct abi_thread *t, char *buf, u64 size);
	u32 (*ncpus)(struct abi_thread *t);
	u32 (*cpu)(struct abi_thread *t);

	/* Threads (sys_fork.c, sys_kill.c, sys_futex.c). clone above makes
	 * a thread when c->flags has CLONE_THREAD. tkill sends sig to thread
	 * tid, which must be in process tgid (tgid <= 0: any process), sig 0
	 * only checks: 0, -ESRCH, -EPERM. futex runs a checked futex call:
	 * WAIT returns 0 (woken), -EAGAIN (the word did not hold val),
	 * -ETIMEDOUT, -ERESTARTSYS or -EINTR (a signal) or -EFAULT; the
	 * others the number woken (REQUEUE: and moved), -EAGAIN (CMP_REQUEUE:
	 * the word did not hold val3), -EFAULT, -ENOSYS (an unknown WAKE_OP
	 * operation or comparison). */
	int (*tkill)(struct abi_thread *t, s32 tgid, s32 tid, int sig);
	long (*futex)(struct abi_thread *t, const struct abi_futex *f);
	void (*yield)(struct abi_thread *t);
};

/* sys_futex.c: FUTEX_WAKE_OP's operation on the old value of the word
 * (0, or -ENOSYS for an unknown one) and its comparison of the old value
 * (1 true, 0 false, -ENOSYS unknown). */
int abi_futex_op(u32 enc, u32 old, u32 *out);
int abi_futex_cmp(u32 enc, u32 old);

struct abi_proc {
	const struct abi_proc_ops *ops;
	void *priv;                 /* the pMonitor's process */
	u32 pid;                    /* [P] */
	u32 ppid;                   /* the pMonitor's tree lock; read atomically */
	u32 pgid, sid;              /* the pMonitor's tree lock; read atomically */
	u32 uid, euid, gid, egid;   /* [P]; setuid and setgid change them, atomically */
	const char *exe_path;       /* [P] what /proc/self/exe names */
	const char *nodename;       /* [P] uname's nodename */
	u64 brk_start;              /* [P] first page after the image (plan.hi) */
	u64 brk;                    /* [P] current break, >= brk_start */
	u64 brk_max;                /* [P] highest break allowed */
	u32 umask;                  /* [P] umask(2) changes it, atomically */
	u32 pdeathsig;              /* PR_SET_PDEATHSIG's signal (0: none), atomic;
	                             * fork clears it */
	bool no_new_privs;          /* PR_SET_NO_NEW_PRIVS, atomic; set only once */
	u64 cpu_mask;               /* sched_setaffinity's CPUs (bit n: CPU n),
	                             * atomic; 0: all of them */
	struct spinlock sig_lock;
	struct kernel_sigaction sigactions[NSIG]; /* [S] [s - 1] */
	struct abi_sigpending shared;             /* [S] sent to the process */
};

struct abi_thread {
	struct abi_proc *proc;
	void *priv;                 /* the pMonitor's thread */
	u32 tid;                    /* [T] */
	u32 pad;
	u64 clear_child_tid;        /* [T] set_tid_address's user address */
	u64 robust_list;            /* [T] set_robust_list's head, 0: none */
	u8 *iobuf;                  /* [T] bounce buffer for read and write */
	u32 iobuf_size;             /* [T] its size, > 0 */
	k_sigset_t sigmask;         /* [S] blocked signals (never SIGKILL, SIGSTOP) */
	struct abi_sigpending pending; /* [S] sent to this thread */
	bool sleeping;              /* [S] in sig_sleep or an interruptible wait */
	k_sigset_t wait_extra;      /* [S] blocked signals that end that sleep too */
	bool restore_mask;          /* [T] put saved_mask back after the next */
	k_sigset_t saved_mask;      /* [T]   signal (sigsuspend, ppoll, pselect6) */
	struct sigaltstack altstack; /* [T] sigaltstack's; ss_flags SS_DISABLE or 0 */
	struct abi_restart restart; /* [T] what restart_syscall resumes */
};

/* Set a new process's fields to those of a fresh exec: no signal
 * handlers, nothing pending, break at brk_start, umask 022. The caller
 * fills ids and paths. */
void abi_proc_init(struct abi_proc *p, const struct abi_proc_ops *ops,
		   u64 brk_start, u64 brk_max);
/* A new thread's signal state: nothing pending, no alternate stack, mask
 * as given. */
void abi_thread_init(struct abi_thread *t, k_sigset_t mask);

#endif
