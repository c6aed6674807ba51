/* Process groups and sessions (the pMonitor checks Linux's rules on its
 * process tree) and umask, which is the process's own. */
#include <tessera/errno.h>

#include "linux-abi/syscalls.h"

/* setpgid(pid, pgid) */
long sys_setpgid(struct syscall_args *a)
{
	if ((s32)a->a[1] < 0)
		return -EINVAL;
	return a->t->proc->ops->setpgid(a->t, (s32)a->a[0], (s32)a->a[1]);
}

/* getpgid(pid) */
long sys_getpgid(struct syscall_args *a)
{
	return a->t->proc->ops->getpgid(a->t, (s32)a->a[0]);
}

/* getsid(pid) */
long sys_getsid(struct syscall_args *a)
{
	return a->t->proc->ops->getsid(a->t, (s32)a->a[0]);
}

/* setsid() */
long sys_setsid(struct syscall_args *a)
{
	return a->t->proc->ops->setsid(a->t);
}

/* umask(mask): the old mask. */
long sys_umask(struct syscall_args *a)
{
	return __atomic_exchange_n(&a->t->proc->umask, (u32)(a->a[0] & 0777), __ATOMIC_RELAXED);
}
