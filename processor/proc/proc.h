/*
 * Processes of the pMonitor: the functions around the state in pmon.h.
 *
 *   instance.c       a pMonitor instance: ExCache frames and hooks, process ids
 *   process.c        spawn, free; the user_ops trap entry points
 *   exit.c           exit, zombies, re-parenting, reaping
 *   wait.c           waiting for children; stop and continue reports
 *   fork.c           fork, vfork, clone as fork
 *   pgrp.c           process groups and sessions
 *   ps.c             the process list for GPM (tessera ps)
 *   exec.c           loading a program: ELF plan, segments, stack
 *   fault.c          the fault path: VMA check, ExCache miss, fill, map
 *   victim_carry.c   a dirty victim riding on the miss's fetch
 *   addr_space.c     mmap/munmap/mprotect/brk through the backend and mirror
 *   wb_set.c         sets of written-back lines
 *   abi_ops.c        the abi_proc_ops the Linux syscall handlers run against
 *   signal.c         sending signals, interruptible waits, delivery (signal.h)
 *   thread.c         clone threads, a thread's exit, tkill, getcpu
 *   futex.c          futex waits and wakes, robust lists (futex.h)
 *   ../fd/abi_files.c  their file half: open, stat, getdents, lseek, fd calls
 */
#ifndef PROCESSOR_PROC_PROC_H
#define PROCESSOR_PROC_PROC_H

#include <tessera/types.h>

#include "processor/pmon.h"

struct user_regs;

/* instance.c */
struct pmon_config {
	u64 cache_bytes;       /* ExCache size, a multiple of ways pages */
	u32 ways;
	const char *policy;    /* "clock" or "fifo" */
	struct pmem_backend mem;
	struct pfile_backend files;
};
/* Allocate the ExCache's frames and metadata; 0, -EINVAL or -ENOMEM. */
int pmon_init(struct pmon *mon, const struct pmon_config *cfg);
void pmon_destroy(struct pmon *mon);
/* The live process with id pid, or NULL. Its lines keep it alive. */
struct pproc *pmon_find(struct pmon *mon, u32 pid);
u32 pmon_new_pid(struct pmon *mon);

/* process.c */
struct pproc_spawn {
	const char *path;             /* absolute, through the file backend */
	const char *const *argv;
	u32 argc;
	u32 envc;
	const char *const *envp;
	const struct pfd_sink *out;   /* fd 1 (and 2 unless err); NULL: console */
	const struct pfd_sink *err;   /* fd 2; NULL: as fd 1 */
	struct pfd_file *in;          /* fd 0 (spawn takes a reference of its
	                               * own); NULL: the console stream */
	u32 pid;                      /* from pmon_new_pid; 0: a new one */
	u32 vnode;                    /* GPM's vNode id, 0: none */
	const struct pfile_backend *files; /* NULL: the pmon's */
	const struct pproc_owner *owner; /* NULL: none */
};
/* Start a process running a->path, the first of a tree (no parent; its
 * caller waits for it with pproc_wait). Errors of the lookup and the ELF
 * headers come back here (-ENOENT, -ENOEXEC, ...); later failures end the
 * process with status 127 and a reason. */
int pproc_spawn(struct pmon *mon, const struct pproc_spawn *a, struct pproc **out);
/* Wait for p (pproc_spawn's) to end; its status (0..255, 128 + signal)
 * and reason stay readable until pproc_free. */
int pproc_wait(struct pproc *p);
/* Free p: it never ran, or it is a zombie its reaper took. */
void pproc_free(struct pproc *p);
/* The shared half of spawn and fork: a process with its locks, thread
 * struct and page tables, holding owner. NULL: no memory. */
struct pproc *pproc_alloc(struct pmon *mon, u32 pid, u32 vnode, const struct pfile_backend *files,
			  const struct pproc_owner *owner);
/* Put p on the process table, under parent (NULL: p is a tree's root). */
void pproc_publish(struct pproc *p, struct pproc *parent);
int pproc_start_thread(struct pproc *p);

#define PPROC_BRK_MAX (1 * GiB) /* how far the break may grow past the image */

/* Wait statuses as wait(2) encodes them. */
#define PWSTATUS_EXIT(code) (((code) & 0xff) << 8)
#define PWSTATUS_SIG(sig) ((sig) & 0x7f)

/* exit.c: end the calling process: wstatus as wait(2) encodes it, reason
 * "" for a normal exit or a signal, else one line for the launch. Its
 * other threads end first; if another thread is ending it already, the
 * caller only leaves. pproc_finish is the end itself, on the only thread
 * left (thread.c). */
__noreturn void pproc_exit(struct pproc *p, int wstatus, const char *reason);
__noreturn void pproc_finish(struct pproc *p, int wstatus, const char *reason);

/* thread.c: threads of a process (pmon.h has the locking).
 * pthread_clone: the clone op for CLONE_THREAD: the new tid or -EAGAIN.
 * pthread_exit: exit(2) of th: it leaves, or ends the process if it is
 * the last. pthread_group_exit: make every other thread of p leave and
 * wait for them (or leave, if another thread does that already).
 * pthread_single: the same for execve, without ending p: 0, or -EAGAIN
 * when p is ending. pthread_reap: join and free the threads that left.
 * pthread_tkill, pthread_cpu: pabi_ops' tkill and cpu. */
long pthread_clone(struct abi_thread *t, const struct abi_clone *c);
/* The first step of every thread: it records its kernel thread. */
void pthread_started(struct pthread *th);
__noreturn void pthread_exit(struct pthread *th, int wstatus);
void pthread_group_exit(struct pproc *p, struct pthread *self);
int pthread_single(struct pproc *p, struct pthread *self);
void pthread_reap(struct pproc *p);
int pthread_tkill(struct abi_thread *t, s32 tgid, s32 tid, int sig);
u32 pthread_cpu(struct abi_thread *t);
/* process.c: a thread's fields (tid from pmon_new_pid, or the pid for
 * main), and its kernel thread, started (NULL: no memory). */
void pthread_init(struct pthread *th, struct pproc *p, u32 tid);
struct thread *pproc_thread_create(struct pthread *th);

/* wait.c: the wait op; reports of a stop (by sig) and of a continue. */
int pwait_child(struct abi_thread *t, int idtype, s32 id, u32 options,
		struct abi_wait_result *out);
void pproc_report_stop(struct pproc *p, int sig);
void pproc_report_cont(struct pproc *p);

/* fork.c: the clone op; a vfork child's parent may go on (exec or exit);
 * a fork child's first steps in its own thread (never returns). */
long pfork(struct abi_thread *t, const struct abi_clone *c);
void pfork_vfork_done(struct pproc *p);
/* Where a new thread th (fork's child, or a clone thread) enters user
 * mode: the caller's registers, FPU state and FS base as c says; NULL:
 * no memory. */
struct pfork_start *pfork_start_new(struct pthread *th, const struct abi_clone *c);
__noreturn void pfork_child_start(struct pthread *th);

/* ps.c: up to max threads of the processes of vnode (0: every vNode) at
 * or past (from, from_tid), in (pid, tid) order, into out; *more: others
 * follow. Takes mon->lock and each process's abi.sig_lock. */
struct proc_ps_entry;
u32 pproc_list(struct pmon *mon, u32 vnode, u32 from, u32 from_tid, struct proc_ps_entry *out,
	       u32 max, bool *more);

/* pgrp.c: the process group and session ops. */
int ppgrp_setpgid(struct abi_thread *t, s32 pid, s32 pgid);
s32 ppgrp_getpgid(struct abi_thread *t, s32 pid);
s32 ppgrp_getsid(struct abi_thread *t, s32 pid);
s32 ppgrp_setsid(struct abi_thread *t);
/* Whether p's group is orphaned, so SIGTSTP, SIGTTIN and SIGTTOU with the
 * default action do not stop it. Takes mon->lock. */
bool ppgrp_orphaned(struct pproc *p);
/* The calling thread's pthread, or NULL for a kernel-only thread. */
struct pthread *pthread_current(void);
/* Route user traps to the pMonitor. */
void pproc_install_user_ops(void);

/* exec.c: loading a program (no user memory yet): the file, "#!"
 * interpreters, the ELF plan and the initial stack in a pexec_image. */
struct pexec_request {
	const char *path;     /* absolute; AT_EXECFN */
	const char *const *argv;
	u32 argc;
	u32 envc;
	const char *const *envp;
};
int pexec_load(struct pproc *p, const struct pexec_request *rq, struct pexec_image **out);
/* Can path (absolute) be run: 0, or the lookup's error, or -EACCES. */
int pexec_runnable(struct pproc *p, const char *path);
void pexec_free(struct pexec_image *img);
const char *pexec_exe(const struct pexec_image *img); /* the ELF file run */
u64 pexec_brk(const struct pexec_image *img);         /* where the break starts */
/* p's exe (the ELF file) and comm (path's last part, as Linux names it). */
void pexec_set_names(struct pproc *p, const char *path, const char *exe);
/* p's args: argv joined by spaces, as much as fits (for ps). */
void pexec_set_args(struct pproc *p, const char *const *argv, u32 argc);
/* For spawn: load a->path into p->image (set even on failure). */
int pexec_prepare(struct pproc *p, const struct pproc_spawn *a);
/* In the process's thread, its address space live and empty at the
 * memory backend: map img, copy its stack, set regs to start it. */
int pexec_map(struct pproc *p, const struct pexec_image *img, struct user_regs *regs);
/* For spawn: make the address space at the backend, then pexec_map. */
int pexec_start(struct pproc *p, struct user_regs *regs);
void pexec_release(struct pproc *p);
/* exec_args.c: the strings a process was started with (pmon.h's struct
 * pargs). new copies them (NULL: no memory); get takes a reference,
 * put_ref drops one; set gives p a (the caller's reference moves) and
 * drops p's old one. */
struct pargs *pargs_new(const char *const *argv, u32 argc, const char *const *envp, u32 envc);
struct pargs *pargs_get(struct pargs *a);
void pargs_put_ref(struct pargs *a);
void pargs_set(struct pproc *p, struct pargs *a);
/* exec.c: p now runs img: it takes img's strings. */
void pexec_keep_args(struct pproc *p, struct pexec_image *img);
/* execve.c: the execve and exec_check ops (linux-abi/abi_proc.h). */
int pexec_execve(struct abi_thread *t, int dirfd, const struct abi_exec *e);
int pexec_check(struct abi_thread *t, int dirfd, const char *path);

/* fault.c: the median and 99th percentile of p's logged fetching-miss
 * latencies (0 if none); sorts the log. For an exited process. */
void pfault_miss_latency(struct pproc *p, u64 *median_ns, u64 *p99_ns);
/* A VMA flag of the mirror: an mmap of a file, where a page wholly past
 * the file's end (as it was at mmap) faults with SIGBUS. */
#define PVMA_EOF_BUS 2u
/* fault.c: make the page at addr accessible for access (PROT_READ,
 * PROT_WRITE or PROT_EXEC): 0, -EFAULT (no mapping: SIGSEGV, SEGV_MAPERR),
 * -EACCES (the mapping's protection forbids it: SEGV_ACCERR), -ENXIO
 * (past a mapped file's end: SIGBUS, BUS_ADRERR) or a backend error. */
int pfault_handle(struct pproc *p, u64 addr, u32 access);
/* ExCache hooks for mon's cache. */
extern const struct excache_hooks pfault_hooks;

/* victim_carry.c: a dirty victim of the faulting process riding on its miss.
 * mm_lock and the line's set lock held. Each stores cv's victim, or marks
 * p mem_lost and returns -EHOSTUNREACH. */
/* p's buffer for a carried victim; NULL (no memory): write victims back. */
void *pcarry_buf(struct pproc *p);
/* Fetch line va into page with the victim riding along: PMEM_LINE_* or
 * -errno of the fetch. */
int pcarry_fetch(struct pproc *p, u64 va, bool write, void *page,
		 const struct excache_carry *cv);
/* Write the victim back on its own (the new line is filled locally). */
int pcarry_store(struct pproc *p, const struct excache_carry *cv);

/* addr_space.c: each takes mm_lock. mmap returns the address or -errno; tmpl
 * gives the file-fill fields of the new VMA (NULL: anonymous). */
long pmap_mmap(struct pproc *p, const struct pmem_mmap_req *rq, const struct vma *tmpl);
int pmap_munmap(struct pproc *p, u64 addr, u64 len);
int pmap_mprotect(struct pproc *p, u64 addr, u64 len, u32 prot);
int pmap_brk(struct pproc *p, u64 old_brk, u64 brk);
/* Store the size of p's mappings in p->vm_bytes. mm_lock held. */
void pmap_count(struct pproc *p);
/* Read len bytes of a file fully (short only at its end). */
long pfile_read_full(const struct pfile_backend *fb, const struct pfile_handle *h, u64 off,
		     void *buf, u64 len);

/* abi_ops.c */
extern const struct abi_proc_ops pabi_ops;
/* processor/fd/abi_files.c: the file ops of pabi_ops, and reading fds. */
int pabi_open(struct abi_thread *t, int dirfd, const char *path, u32 flags, u32 mode);
int pabi_close(struct abi_thread *t, int fd);
s64 pabi_lseek(struct abi_thread *t, int fd, s64 off, int whence);
int pabi_fstat(struct abi_thread *t, int fd, struct stat *st);
int pabi_stat(struct abi_thread *t, int dirfd, const char *path, bool follow, struct stat *st);
long pabi_getdents(struct abi_thread *t, int fd, void *buf, u64 len);
long pabi_fd_read(struct abi_thread *t, int fd, void *buf, u64 len);
long pabi_fd_write(struct abi_thread *t, int fd, const void *buf, u64 len);
int pabi_fd_is_tty(struct abi_thread *t, int fd);
/* pipe2: the read end in fds[0], the write end in fds[1]. */
int pabi_pipe(struct abi_thread *t, u32 flags, int fds[2]);
/* poll over the process's descriptors (linux-abi/abi_proc.h). */
int pabi_poll(struct abi_thread *t, struct pollfd *fds, u32 n, u64 deadline);
/* processor/fd/cwd.c: the chdir and getcwd ops. */
int pabi_chdir(struct abi_thread *t, int dirfd, const char *path);
long pabi_getcwd(struct abi_thread *t, char *buf, u64 size);
/* Absolute form of path (relative ones against dirfd, AT_FDCWD: the
 * working directory) in a new buffer the caller frees: 0, -EBADF,
 * -ENOTDIR, -ENAMETOOLONG. */
int pabi_abs_path(struct pproc *p, int dirfd, const char *path, char **out);

/* processor/fd/path_ops.c: a path split into its directory and last
 * name: dir and name point into buf, full is the whole path (trailing
 * '/' taken off, slash says there was one); kind says whether the last
 * name is the root, ".", "..", or an ordinary name. */
enum ppath_kind { PPATH_NAME, PPATH_ROOT, PPATH_DOT, PPATH_DOTDOT };
struct ppath {
	char *buf, *full;
	const char *dir, *name;
	enum ppath_kind kind;
	bool slash;
};
int pabi_split(struct pproc *p, int dirfd, const char *path, struct ppath *out);
void pabi_split_free(struct ppath *pp);
/* The directory of pp, looked up and checked to be one. */
int pabi_parent(struct pproc *p, const struct ppath *pp, struct pfile_handle *dir);
/* An absolute path through the process's files (follow: a final symlink). */
int pabi_lookup(struct pproc *p, const char *abs, bool follow, struct pfile_handle *h,
		struct pfile_attr *a);
int pabi_mknod(struct abi_thread *t, int dirfd, const char *path, u32 mode, u64 dev);
int pabi_unlink(struct abi_thread *t, int dirfd, const char *path, bool dir);
int pabi_rename(struct abi_thread *t, int odirfd, const char *opath, int ndirfd,
		const char *npath, u32 flags);
int pabi_link(struct abi_thread *t, int odirfd, const char *opath, int ndirfd,
	      const char *npath, bool follow);
int pabi_symlink(struct abi_thread *t, const char *target, int dirfd, const char *path);
long pabi_readlink(struct abi_thread *t, int dirfd, const char *path, char *buf, u64 size);
/* processor/fd/attr_ops.c */
int pabi_setattr(struct abi_thread *t, int dirfd, const char *path, bool follow,
		 const struct abi_setattr *sa);
int pabi_fsync(struct abi_thread *t, int fd, bool datasync);
int pabi_statfs(struct abi_thread *t, int dirfd, const char *path, struct statfs *st);
long pabi_fd_pread(struct abi_thread *t, int fd, void *buf, u64 len, u64 off);
long pabi_fd_pwrite(struct abi_thread *t, int fd, const void *buf, u64 len, u64 off);

#endif
