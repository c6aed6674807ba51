/* The syscall handlers, one family per file; each takes the trap's
 * arguments (syscall.h) and returns a result or a negative errno. */
#ifndef LINUX_ABI_SYSCALLS_H
#define LINUX_ABI_SYSCALLS_H

#include "linux-abi/syscall.h"

/* sys_ids.c: identities and uname */
long sys_getpid(struct syscall_args *a);
long sys_getppid(struct syscall_args *a);
long sys_gettid(struct syscall_args *a);
long sys_getuid(struct syscall_args *a);
long sys_geteuid(struct syscall_args *a);
long sys_getgid(struct syscall_args *a);
long sys_getegid(struct syscall_args *a);
long sys_getpgrp(struct syscall_args *a);
long sys_getresuid(struct syscall_args *a);
long sys_getresgid(struct syscall_args *a);
long sys_getgroups(struct syscall_args *a);
long sys_setuid(struct syscall_args *a);
long sys_setgid(struct syscall_args *a);
long sys_set_tid_address(struct syscall_args *a);
long sys_uname(struct syscall_args *a);

/* sys_arch.c */
long sys_arch_prctl(struct syscall_args *a);

/* sys_rlimit.c */
long sys_prlimit64(struct syscall_args *a);
long sys_getrlimit(struct syscall_args *a);
long sys_setrlimit(struct syscall_args *a);

/* sys_time.c: clocks and randomness */
long sys_clock_gettime(struct syscall_args *a);
long sys_clock_getres(struct syscall_args *a);
long sys_gettimeofday(struct syscall_args *a);
long sys_time(struct syscall_args *a);
long sys_getrandom(struct syscall_args *a);

/* sys_signal.c */
long sys_rt_sigaction(struct syscall_args *a);
long sys_rt_sigprocmask(struct syscall_args *a);
long sys_rt_sigpending(struct syscall_args *a);
long sys_pause(struct syscall_args *a);
long sys_rt_sigsuspend(struct syscall_args *a);
long sys_rt_sigtimedwait(struct syscall_args *a);
long sys_sigaltstack(struct syscall_args *a);
long sys_rt_sigreturn(struct syscall_args *a);

/* sys_fork.c, sys_exec.c, sys_wait.c, sys_pgrp.c */
long sys_clone(struct syscall_args *a);
long sys_clone3(struct syscall_args *a);
long sys_fork(struct syscall_args *a);
long sys_vfork(struct syscall_args *a);
long sys_execve(struct syscall_args *a);
long sys_execveat(struct syscall_args *a);
long sys_wait4(struct syscall_args *a);
long sys_waitid(struct syscall_args *a);
long sys_setpgid(struct syscall_args *a);
long sys_getpgid(struct syscall_args *a);
long sys_getsid(struct syscall_args *a);
long sys_setsid(struct syscall_args *a);
long sys_umask(struct syscall_args *a);

/* sys_timer.c */
long sys_nanosleep(struct syscall_args *a);
long sys_clock_nanosleep(struct syscall_args *a);
long sys_restart_syscall(struct syscall_args *a);
long sys_alarm(struct syscall_args *a);
long sys_setitimer(struct syscall_args *a);
long sys_getitimer(struct syscall_args *a);
long sys_times(struct syscall_args *a);
long sys_getrusage(struct syscall_args *a);
long sys_sysinfo(struct syscall_args *a);

/* sys_kill.c */
long sys_kill(struct syscall_args *a);
long sys_tkill(struct syscall_args *a);
long sys_tgkill(struct syscall_args *a);
long sys_rt_sigqueueinfo(struct syscall_args *a);
long sys_rt_tgsigqueueinfo(struct syscall_args *a);

/* sys_rw.c */
long sys_read(struct syscall_args *a);
long sys_write(struct syscall_args *a);
long sys_readv(struct syscall_args *a);
long sys_writev(struct syscall_args *a);
long sys_pread64(struct syscall_args *a);
long sys_pwrite64(struct syscall_args *a);
long sys_preadv(struct syscall_args *a);
long sys_pwritev(struct syscall_args *a);

/* sys_ioctl.c */
long sys_ioctl(struct syscall_args *a);

/* sys_mem.c */
long sys_brk(struct syscall_args *a);

/* sys_path.c */
long sys_readlink(struct syscall_args *a);
long sys_readlinkat(struct syscall_args *a);

/* sys_exit.c */
long sys_exit(struct syscall_args *a);
long sys_exit_group(struct syscall_args *a);
long sys_rseq(struct syscall_args *a);

/* sys_mmap.c */
long sys_mmap(struct syscall_args *a);
long sys_munmap(struct syscall_args *a);
long sys_mprotect(struct syscall_args *a);

/* sys_file.c */
long sys_open(struct syscall_args *a);
long sys_openat(struct syscall_args *a);
long sys_close(struct syscall_args *a);
long sys_lseek(struct syscall_args *a);
long sys_stat(struct syscall_args *a);
long sys_lstat(struct syscall_args *a);
/* The stat of upath from dirfd (sys_file.c), followed unless flags has
 * AT_SYMLINK_NOFOLLOW; an empty path is dirfd itself with AT_EMPTY_PATH,
 * else -ENOENT. 0 or -errno. */
long abi_stat_at(struct abi_thread *t, int dirfd, u64 upath, u32 flags, struct stat *st);
long sys_access(struct syscall_args *a);
long sys_faccessat(struct syscall_args *a);
long sys_faccessat2(struct syscall_args *a);
long sys_fstat(struct syscall_args *a);
long sys_newfstatat(struct syscall_args *a);
long sys_getdents64(struct syscall_args *a);
long sys_creat(struct syscall_args *a);

/* sys_namei.c */
long sys_mkdir(struct syscall_args *a);
long sys_mkdirat(struct syscall_args *a);
long sys_mknod(struct syscall_args *a);
long sys_mknodat(struct syscall_args *a);
long sys_unlink(struct syscall_args *a);
long sys_unlinkat(struct syscall_args *a);
long sys_rmdir(struct syscall_args *a);
long sys_rename(struct syscall_args *a);
long sys_renameat(struct syscall_args *a);
long sys_renameat2(struct syscall_args *a);
long sys_link(struct syscall_args *a);
long sys_linkat(struct syscall_args *a);
long sys_symlink(struct syscall_args *a);
long sys_symlinkat(struct syscall_args *a);

/* sys_attr.c */
long sys_chmod(struct syscall_args *a);
long sys_fchmod(struct syscall_args *a);
long sys_fchmodat(struct syscall_args *a);
long sys_chown(struct syscall_args *a);
long sys_fchown(struct syscall_args *a);
long sys_lchown(struct syscall_args *a);
long sys_fchownat(struct syscall_args *a);
long sys_truncate(struct syscall_args *a);
long sys_ftruncate(struct syscall_args *a);
long sys_utime(struct syscall_args *a);
long sys_utimes(struct syscall_args *a);
long sys_futimesat(struct syscall_args *a);
long sys_utimensat(struct syscall_args *a);

/* sys_sync.c */
long sys_fsync(struct syscall_args *a);
long sys_fdatasync(struct syscall_args *a);
long sys_sync(struct syscall_args *a);
long sys_syncfs(struct syscall_args *a);
long sys_statfs(struct syscall_args *a);
long sys_fstatfs(struct syscall_args *a);

/* sys_pipe.c, sys_poll.c */
long sys_pipe(struct syscall_args *a);
long sys_pipe2(struct syscall_args *a);
long sys_poll(struct syscall_args *a);
long sys_ppoll(struct syscall_args *a);
long sys_select(struct syscall_args *a);
long sys_pselect6(struct syscall_args *a);

/* sys_fd.c */
long sys_dup(struct syscall_args *a);
long sys_dup2(struct syscall_args *a);
long sys_dup3(struct syscall_args *a);
long sys_fcntl(struct syscall_args *a);
long sys_sendfile(struct syscall_args *a);

/* sys_cwd.c: the working directory */
long sys_chdir(struct syscall_args *a);
long sys_fchdir(struct syscall_args *a);
long sys_getcwd(struct syscall_args *a);

/* sys_sched.c: yield, affinity, policy, priority */
long sys_sched_yield(struct syscall_args *a);
long sys_sched_getaffinity(struct syscall_args *a);
long sys_sched_setaffinity(struct syscall_args *a);
long sys_sched_getscheduler(struct syscall_args *a);
long sys_getpriority(struct syscall_args *a);
long sys_getcpu(struct syscall_args *a);
long sys_sched_getparam(struct syscall_args *a);
long sys_sched_get_priority_max(struct syscall_args *a);
long sys_sched_get_priority_min(struct syscall_args *a);

/* sys_prctl.c */
long sys_prctl(struct syscall_args *a);

/* sys_advise.c: madvise, fadvise64, readahead */
long sys_madvise(struct syscall_args *a);
long sys_fadvise64(struct syscall_args *a);
long sys_readahead(struct syscall_args *a);

/* sys_futex.c */
long sys_futex(struct syscall_args *a);
long sys_set_robust_list(struct syscall_args *a);
long sys_get_robust_list(struct syscall_args *a);

#endif
