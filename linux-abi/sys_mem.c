/*
 * brk: the program break, Linux's way. brk(0), or any address below the
 * start, returns the current break; a break that cannot be set (beyond
 * brk_max, or the memory hook fails) leaves it and returns it unchanged,
 * never an error code. See abi_proc.h for the locking of the brk fields.
 */
#include "linux-abi/syscalls.h"

/* brk(addr) */
long sys_brk(struct syscall_args *a)
{
	struct abi_thread *t = a->t;
	struct abi_proc *p = t->proc;
	u64 want = a->a[0];

	if (want < p->brk_start || want > p->brk_max)
		return p->brk;
	if (t->proc->ops->set_brk(t, p->brk, want))
		return p->brk;
	p->brk = want;
	return want;
}
