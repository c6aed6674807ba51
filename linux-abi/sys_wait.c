/*
 * wait4 and waitid: the pMonitor finds and waits for the child; here the
 * arguments are checked and the answer encoded as Linux encodes it: the
 * wait status (exit code << 8, or the signal, 0x7f stopped, 0xffff
 * continued), waitid's siginfo, and the child's times in struct rusage.
 */
#include <tessera/errno.h>
#include <tessera/string.h>
#include <tessera/uapi/wait.h>

#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

#define WAIT4_OPTIONS (ABI_WNOHANG | ABI_WSTOPPED | ABI_WCONTINUED | ABI_WNOTHREAD | \
		       ABI_WCLONE | ABI_WALL)
#define WAITID_OPTIONS (WAIT4_OPTIONS | ABI_WEXITED | ABI_WNOWAIT)

static s32 wait_status(const struct abi_wait_result *r)
{
	switch (r->code) {
	case CLD_EXITED:
		return (r->status & 0xff) << 8;
	case CLD_KILLED:
		return r->status & 0x7f;
	case CLD_DUMPED:
		return (r->status & 0x7f) | 0x80;
	case CLD_STOPPED:
		return (r->status & 0xff) << 8 | 0x7f;
	default:
		return 0xffff;
	}
}

static int wait_rusage(struct abi_thread *t, u64 uru, const struct abi_wait_result *r)
{
	struct rusage ru;

	if (!uru)
		return 0;
	memset(&ru, 0, sizeof(ru));
	ru.ru_utime.tv_sec = (s64)(r->utime_ns / NSEC_PER_SEC);
	ru.ru_utime.tv_usec = (s64)(r->utime_ns % NSEC_PER_SEC / 1000);
	ru.ru_stime.tv_sec = (s64)(r->stime_ns / NSEC_PER_SEC);
	ru.ru_stime.tv_usec = (s64)(r->stime_ns % NSEC_PER_SEC / 1000);
	return abi_copy_out(t, uru, &ru, sizeof(ru));
}

/* wait4(pid, wstatus, options, rusage) */
long sys_wait4(struct syscall_args *a)
{
	struct abi_thread *t = a->t;
	s32 pid = (s32)a->a[0], st;
	u32 options = (u32)a->a[2];
	struct abi_wait_result r;
	int idtype = ABI_P_PID;
	long got;

	if (options & ~WAIT4_OPTIONS || pid == INT32_MIN)
		return -EINVAL;
	if (pid == -1)
		idtype = ABI_P_ALL;
	else if (pid <= 0)
		idtype = ABI_P_PGID;
	got = t->proc->ops->wait(t, idtype,
				 pid == 0 ? (s32)__atomic_load_n(&t->proc->pgid, __ATOMIC_RELAXED)
					  : pid < -1 ? -pid : pid,
				 options | ABI_WEXITED, &r);
	if (got <= 0)
		return got;
	st = wait_status(&r);
	if (a->a[1] && abi_copy_out(t, a->a[1], &st, sizeof(st)))
		return -EFAULT;
	if (wait_rusage(t, a->a[3], &r))
		return -EFAULT;
	return got;
}

/* waitid(idtype, id, infop, options, rusage) */
long sys_waitid(struct syscall_args *a)
{
	struct abi_thread *t = a->t;
	u32 options = (u32)a->a[3];
	struct abi_wait_result r = { 0 };
	struct siginfo si;
	long got;

	if (options & ~WAITID_OPTIONS || !(options & (ABI_WEXITED | ABI_WSTOPPED | ABI_WCONTINUED)))
		return -EINVAL;
	if (a->a[0] > ABI_P_PGID || (a->a[0] != ABI_P_ALL && (s32)a->a[1] <= 0))
		return -EINVAL;
	got = t->proc->ops->wait(t, (int)a->a[0], (s32)a->a[1], options, &r);
	if (got < 0)
		return got;
	memset(&si, 0, sizeof(si));
	if (got > 0) {
		si.si_signo = SIGCHLD;
		si.si_code = r.code;
		si.u.proc.pid = r.pid;
		si.u.proc.uid = r.uid;
		si.u.proc.status = r.status;
	}
	if (a->a[2] && abi_copy_out(t, a->a[2], &si, sizeof(si)))
		return -EFAULT;
	if (got > 0 && wait_rusage(t, a->a[4], &r))
		return -EFAULT;
	return 0;
}
