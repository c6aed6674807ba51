/* Setting up the process state the handlers keep (abi_proc.h). */
#include <tessera/string.h>

#include "linux-abi/abi_proc.h"

void abi_proc_init(struct abi_proc *p, const struct abi_proc_ops *ops,
		   u64 brk_start, u64 brk_max)
{
	p->ops = ops;
	p->brk_start = brk_start;
	p->brk = brk_start;
	p->brk_max = brk_max;
	p->umask = 022;
	spin_init(&p->sig_lock, "abi_proc.sig", LOCK_RANK_ABI_SIG);
	memset(p->sigactions, 0, sizeof(p->sigactions));
	memset(&p->shared, 0, sizeof(p->shared));
}

void abi_thread_init(struct abi_thread *t, k_sigset_t mask)
{
	t->sigmask = mask & ~ABI_SIG_UNBLOCKABLE;
	memset(&t->pending, 0, sizeof(t->pending));
	t->sleeping = false;
	t->wait_extra = 0;
	t->restore_mask = false;
	t->altstack = (struct sigaltstack){ .ss_flags = SS_DISABLE };
	t->restart = (struct abi_restart){ 0 };
}
