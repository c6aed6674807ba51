/*
 * Ending threads and processes, and rseq, which is declined (both libcs
 * accept that). set_robust_list is in sys_futex.c.
 */
#include <tessera/errno.h>

#include "linux-abi/syscalls.h"

/* exit(status): the calling thread ends. */
long sys_exit(struct syscall_args *a)
{
	a->t->proc->ops->exit(a->t, (int)(a->a[0] & 0xff), false);
}

/* exit_group(status): every thread of the process ends. */
long sys_exit_group(struct syscall_args *a)
{
	a->t->proc->ops->exit(a->t, (int)(a->a[0] & 0xff), true);
}

/* rseq(...): not offered; glibc then does without. */
long sys_rseq(struct syscall_args *a)
{
	return -ENOSYS;
}
