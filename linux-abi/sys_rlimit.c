/*
 * Resource limits, read-only: every process has Linux's usual defaults.
 * Setting a limit to the value it already has succeeds; changing one gives
 * -EPERM, as for an unprivileged process raising a hard limit.
 */
#include <tessera/errno.h>
#include <tessera/uapi/resource.h>

#include "linux-abi/abi.h"
#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

#define INF RLIM_INFINITY

static const struct rlimit rlimit_defaults[RLIM_NLIMITS] = {
	[RLIMIT_CPU] = { INF, INF },
	[RLIMIT_FSIZE] = { INF, INF },
	[RLIMIT_DATA] = { INF, INF },
	[RLIMIT_STACK] = { 8 * MiB, INF },
	[RLIMIT_CORE] = { 0, INF },
	[RLIMIT_RSS] = { INF, INF },
	[RLIMIT_NPROC] = { 4096, 4096 },
	[RLIMIT_NOFILE] = { ABI_NOFILE, 4096 },
	[RLIMIT_MEMLOCK] = { 8 * MiB, 8 * MiB },
	[RLIMIT_AS] = { INF, INF },
	[RLIMIT_LOCKS] = { INF, INF },
	[RLIMIT_SIGPENDING] = { 4096, 4096 },
	[RLIMIT_MSGQUEUE] = { 819200, 819200 },
	[RLIMIT_NICE] = { 0, 0 },
	[RLIMIT_RTPRIO] = { 0, 0 },
	[RLIMIT_RTTIME] = { INF, INF },
};

static long set_limit(struct abi_thread *t, u64 res, u64 unew)
{
	struct rlimit r;

	if (abi_copy_in(t, &r, unew, sizeof(r)))
		return -EFAULT;
	if (r.rlim_cur > r.rlim_max)
		return -EINVAL;
	if (r.rlim_cur != rlimit_defaults[res].rlim_cur ||
	    r.rlim_max != rlimit_defaults[res].rlim_max)
		return -EPERM;
	return 0;
}

/* Old value to uold (if not 0), then new value from unew (if not 0). */
static long do_prlimit(struct abi_thread *t, u64 res, u64 unew, u64 uold)
{
	long err;

	if (res >= RLIM_NLIMITS)
		return -EINVAL;
	if (unew) {
		err = set_limit(t, res, unew);
		if (err)
			return err;
	}
	if (uold)
		return abi_copy_out(t, uold, &rlimit_defaults[res],
				    sizeof(struct rlimit));
	return 0;
}

/* prlimit64(pid, resource, new, old) */
long sys_prlimit64(struct syscall_args *a)
{
	if (a->a[0] != 0 && a->a[0] != a->t->proc->pid)
		return -ESRCH;
	return do_prlimit(a->t, a->a[1], a->a[2], a->a[3]);
}

/* getrlimit(resource, rlim) */
long sys_getrlimit(struct syscall_args *a)
{
	if (!a->a[1])
		return -EFAULT;
	return do_prlimit(a->t, a->a[0], 0, a->a[1]);
}

/* setrlimit(resource, rlim) */
long sys_setrlimit(struct syscall_args *a)
{
	if (!a->a[1])
		return -EFAULT;
	return do_prlimit(a->t, a->a[0], a->a[1], 0);
}
