/*
 * Ending threads and processes, and the thread-start bookkeeping calls
 * that need nothing yet: set_robust_list is recorded nowhere (no futexes
 * yet) and rseq is declined, which both libcs accept.
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

/* set_robust_list(head, len): len must be the 24-byte list head. */
long sys_set_robust_list(struct syscall_args *a)
{
	return a->a[1] == 24 ? 0 : -EINVAL;
}

/* rseq(...): not offered; glibc then does without. */
long sys_rseq(struct syscall_args *a)
{
	return -ENOSYS;
}
