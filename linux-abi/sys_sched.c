/*
 * Scheduling calls: sched_yield, the CPU affinity mask, getcpu, the
 * policy, its priority range and the nice value. Every process runs SCHED_OTHER at nice 0 on the
 * pComponent's CPUs. The affinity mask is remembered per process (its
 * threads share it, where Linux keeps one per thread) and read back, but
 * the pComponent's scheduler does not pin threads by it. A pid other than
 * the caller's is checked to exist with kill(pid, 0): -ESRCH if not.
 */
#include <tessera/errno.h>
#include <tessera/uapi/sched.h>

#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

#define AFFINITY_BYTES 8 /* the kernel's mask: one u64, CPUs 0..63 */

/* 0 if pid names a process the caller may ask about, else -ESRCH. */
static long check_pid(struct abi_thread *t, s64 pid)
{
	long r;

	if (pid < 0 || pid > INT32_MAX)
		return -ESRCH;
	if (pid == 0 || pid == t->proc->pid)
		return 0;
	r = t->proc->ops->kill(t, (s32)pid, 0, 0);
	return r == -EPERM ? 0 : r;
}

/* The CPUs there are, as a mask. */
static u64 online_mask(struct abi_thread *t)
{
	u32 n = t->proc->ops->ncpus(t);

	return n >= 64 ? ~0ull : (1ull << n) - 1;
}

long sys_sched_yield(struct syscall_args *a)
{
	a->t->proc->ops->yield(a->t);
	return 0;
}

/* sched_getaffinity(pid, len, mask): the mask's size in bytes; len must
 * hold the kernel's mask and be a multiple of 8. Bytes past the mask are
 * left as they were, as Linux does. */
long sys_sched_getaffinity(struct syscall_args *a)
{
	u64 len = a->a[1], mask;
	long err;

	if (len < AFFINITY_BYTES || (len & 7))
		return -EINVAL;
	err = check_pid(a->t, (s32)a->a[0]);
	if (err)
		return err;
	mask = __atomic_load_n(&a->t->proc->cpu_mask, __ATOMIC_RELAXED);
	mask = mask ? mask : online_mask(a->t);
	return abi_copy_out(a->t, a->a[2], &mask, AFFINITY_BYTES) ? -EFAULT : AFFINITY_BYTES;
}

/* sched_setaffinity(pid, len, mask): the CPUs asked for that exist; none
 * of them is EINVAL. Bits past the first 8 bytes name CPUs that do not
 * exist. Only the caller's own process may be changed here. */
long sys_sched_setaffinity(struct syscall_args *a)
{
	u64 mask = 0, len = a->a[1];
	long err = check_pid(a->t, (s32)a->a[0]);

	if (err)
		return err;
	if (a->a[0] != 0 && a->a[0] != a->t->proc->pid)
		return -EPERM;
	if (abi_copy_in(a->t, &mask, a->a[2], len < AFFINITY_BYTES ? len : AFFINITY_BYTES))
		return -EFAULT;
	mask &= online_mask(a->t);
	if (!mask)
		return -EINVAL;
	__atomic_store_n(&a->t->proc->cpu_mask, mask, __ATOMIC_RELAXED);
	return 0;
}

/* sched_getscheduler(pid): a negative pid is EINVAL. */
long sys_sched_getscheduler(struct syscall_args *a)
{
	long err = (s32)a->a[0] < 0 ? -EINVAL : check_pid(a->t, (s32)a->a[0]);

	return err ? err : SCHED_OTHER;
}

/* getpriority(which, who): the raw call returns 20 - nice (libc undoes
 * it), so 20 for nice 0. A group or user id is looked up as a pid would
 * be only for the caller's own (0 or its own ids); others are ESRCH. */
long sys_getpriority(struct syscall_args *a)
{
	struct abi_proc *p = a->t->proc;
	u32 who = (u32)a->a[1];
	long err;

	switch (a->a[0]) {
	case PRIO_PROCESS:
		err = check_pid(a->t, (s32)who);
		return err ? err : 20;
	case PRIO_PGRP:
		return who == 0 || who == __atomic_load_n(&p->pgid, __ATOMIC_RELAXED) ? 20
										: -ESRCH;
	case PRIO_USER:
		return who == 0 || who == p->uid ? 20 : -ESRCH;
	default:
		return -EINVAL;
	}
}

/* getcpu(cpu, node, tcache): the CPU the caller runs on now, node 0. */
long sys_getcpu(struct syscall_args *a)
{
	u32 cpu = a->t->proc->ops->cpu(a->t), node = 0;

	if (a->a[0] && abi_copy_out(a->t, a->a[0], &cpu, sizeof(cpu)))
		return -EFAULT;
	if (a->a[1] && abi_copy_out(a->t, a->a[1], &node, sizeof(node)))
		return -EFAULT;
	return 0;
}

/* sched_getparam(pid, param): priority 0 under SCHED_OTHER. */
long sys_sched_getparam(struct syscall_args *a)
{
	s32 prio = 0;
	long err = (s32)a->a[0] < 0 || !a->a[1] ? -EINVAL : check_pid(a->t, (s32)a->a[0]);

	return err ? err : abi_copy_out(a->t, a->a[1], &prio, sizeof(prio));
}

/* sched_get_priority_max/min(policy): 99 and 1 for SCHED_FIFO and
 * SCHED_RR, 0 for SCHED_OTHER, SCHED_BATCH and SCHED_IDLE. */
static long sched_prio_bound(u64 policy, long rt)
{
	if (policy == 1 || policy == 2)
		return rt;
	return policy == 0 || policy == 3 || policy == 5 ? 0 : -EINVAL;
}

long sys_sched_get_priority_max(struct syscall_args *a)
{
	return sched_prio_bound(a->a[0], 99);
}

long sys_sched_get_priority_min(struct syscall_args *a)
{
	return sched_prio_bound(a->a[0], 1);
}
