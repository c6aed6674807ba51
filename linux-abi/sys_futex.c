/*
 * futex(2) as Linux checks it, and the robust-list calls. The handler
 * decodes the operation, checks what needs no futex state (alignment,
 * the timeout, a zero bitset, flags an operation does not take) and turns
 * a timeout into a time_ns() deadline; the pMonitor keeps the waiters
 * (abi_proc_ops.futex). PI futexes (LOCK_PI and the rest) are -ENOSYS,
 * which both libcs only meet for PTHREAD_PRIO_INHERIT mutexes.
 */
#include <tessera/errno.h>
#include <tessera/uapi/futex.h>
#include <tessera/uapi/time.h>

#include "linux-abi/abi.h"
#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

#define NSEC_PER_SEC_ABI 1000000000ll

/* The deadline of a wait: relative for FUTEX_WAIT, absolute (monotonic,
 * or the wall clock with FUTEX_CLOCK_REALTIME) for FUTEX_WAIT_BITSET. */
static int futex_deadline(struct abi_thread *t, u64 uts, u32 cmd, bool realtime, u64 *out)
{
	const struct abi_proc_ops *ops = t->proc->ops;
	struct timespec ts;
	s64 ns, now;
	int err;

	*out = 0;
	if (!uts)
		return 0;
	err = abi_copy_in(t, &ts, uts, sizeof(ts));
	if (err)
		return err;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC_ABI)
		return -EINVAL;
	ns = ts.tv_sec > INT64_MAX / NSEC_PER_SEC_ABI - 1 ? INT64_MAX / 2
							   : ts.tv_sec * NSEC_PER_SEC_ABI + ts.tv_nsec;
	now = (s64)ops->clock_ns(t, ABI_CLOCK_MONOTONIC);
	if (cmd == FUTEX_WAIT)
		ns += now;
	else if (realtime)
		ns = now + (ns - (s64)ops->clock_ns(t, ABI_CLOCK_REALTIME));
	*out = ns > 0 ? (u64)ns : 1; /* 1: already passed */
	return 0;
}

/* The command and its arguments, or an error of the checks Linux makes
 * before it looks at a futex word. */
static int futex_decode(struct syscall_args *a, struct abi_futex *f)
{
	u32 op = (u32)a->a[1], cmd = op & FUTEX_CMD_MASK;
	bool realtime = op & FUTEX_CLOCK_REALTIME;
	bool wait = cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET;

	*f = (struct abi_futex){ .cmd = cmd, .val = (u32)a->a[2], .val2 = (u32)a->a[3],
				 .val3 = (u32)a->a[5], .bitset = FUTEX_BITSET_MATCH_ANY,
				 .shared = !(op & FUTEX_PRIVATE_FLAG), .uaddr = a->a[0],
				 .uaddr2 = a->a[4] };
	if (realtime && !wait)
		return -ENOSYS;
	if (cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_WAKE_BITSET) {
		f->bitset = f->val3;
		f->cmd = cmd == FUTEX_WAIT_BITSET ? FUTEX_WAIT : FUTEX_WAKE;
	}
	if (cmd > FUTEX_WAKE_OP && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAKE_BITSET)
		return -ENOSYS;
	if (cmd == FUTEX_FD)
		return -ENOSYS;
	if ((f->cmd == FUTEX_WAIT || f->cmd == FUTEX_WAKE) && !f->bitset)
		return -EINVAL;
	if (f->uaddr & 3)
		return -EINVAL;
	if (f->cmd >= FUTEX_REQUEUE && (f->uaddr2 & 3))
		return -EINVAL;
	if ((f->cmd == FUTEX_REQUEUE || f->cmd == FUTEX_CMP_REQUEUE) &&
	    ((s32)f->val < 0 || (s32)f->val2 < 0))
		return -EINVAL;
	if (!abi_user_range_ok(f->uaddr, 4) ||
	    (f->cmd >= FUTEX_REQUEUE && !abi_user_range_ok(f->uaddr2, 4)))
		return -EFAULT;
	return wait ? futex_deadline(a->t, a->a[3], cmd, realtime, &f->deadline) : 0;
}

/* futex(uaddr, op, val, timeout or val2, uaddr2, val3) */
long sys_futex(struct syscall_args *a)
{
	struct abi_futex f;
	int err = futex_decode(a, &f);

	if (err)
		return err;
	return a->t->proc->ops->futex(a->t, &f);
}

static s32 futex_sext12(u32 v)
{
	return (s32)(v << 20) >> 20;
}

int abi_futex_op(u32 enc, u32 old, u32 *out)
{
	u32 op = (enc >> 28) & 7;
	s32 arg = futex_sext12((enc >> 12) & 0xfff);

	if (enc & ((u32)FUTEX_OP_OPARG_SHIFT << 28))
		arg = (s32)(1u << (arg & 31));
	switch (op) {
	case FUTEX_OP_SET:
		*out = (u32)arg;
		return 0;
	case FUTEX_OP_ADD:
		*out = old + (u32)arg;
		return 0;
	case FUTEX_OP_OR:
		*out = old | (u32)arg;
		return 0;
	case FUTEX_OP_ANDN:
		*out = old & ~(u32)arg;
		return 0;
	case FUTEX_OP_XOR:
		*out = old ^ (u32)arg;
		return 0;
	default:
		return -ENOSYS;
	}
}

int abi_futex_cmp(u32 enc, u32 old)
{
	s32 v = (s32)old, arg = futex_sext12(enc & 0xfff);

	switch ((enc >> 24) & 0xf) {
	case FUTEX_OP_CMP_EQ:
		return v == arg;
	case FUTEX_OP_CMP_NE:
		return v != arg;
	case FUTEX_OP_CMP_LT:
		return v < arg;
	case FUTEX_OP_CMP_LE:
		return v <= arg;
	case FUTEX_OP_CMP_GT:
		return v > arg;
	case FUTEX_OP_CMP_GE:
		return v >= arg;
	default:
		return -ENOSYS;
	}
}

/* set_robust_list(head, len): len must be the 24-byte list head; the
 * list is walked when the thread ends (the pMonitor). */
long sys_set_robust_list(struct syscall_args *a)
{
	if (a->a[1] != sizeof(struct robust_list_head))
		return -EINVAL;
	a->t->robust_list = a->a[0];
	return 0;
}

/* get_robust_list(tid, head_ptr, len_ptr): the caller's own (tid 0 or its
 * own); another thread's is -EPERM, a thread that does not exist -ESRCH. */
long sys_get_robust_list(struct syscall_args *a)
{
	struct abi_thread *t = a->t;
	u64 len = sizeof(struct robust_list_head);
	s32 tid = (s32)a->a[0];
	int err;

	if (tid && tid != (s32)t->tid) {
		err = t->proc->ops->tkill(t, 0, tid, 0);
		return err ? -ESRCH : -EPERM;
	}
	err = abi_copy_out(t, a->a[2], &len, sizeof(len));
	return err ? err : abi_copy_out(t, a->a[1], &t->robust_list, sizeof(u64));
}
