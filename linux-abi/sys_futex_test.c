/* futex's checks and decoding, FUTEX_WAKE_OP's operations, the robust-list
 * calls, clone3's argument checks and the scheduling calls, against the
 * fake process (its monotonic clock reads 3 s, its wall clock 1.5 s). */
#include <string.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>
#include <tessera/uapi/futex.h>
#include <tessera/uapi/sched.h>
#include <tessera/uapi/time.h>

#include "linux-abi/fake_proc.h"

#define WORD (FAKE_BASE + 0x100)
#define TS (FAKE_BASE + 0x200)

static long futex(struct fake_proc *f, u64 uaddr, u64 op, u64 val, u64 ts, u64 uaddr2, u64 val3)
{
	const u64 args[6] = { uaddr, op, val, ts, uaddr2, val3 };

	return fake_call6(f, __NR_futex, args);
}

KTEST(sys_futex, decode)
{
	struct timespec rel = { 2, 5 }, bad = { 0, 1000000000 };
	struct fake_proc f;

	fake_init(&f);
	fake_put(&f, 0x200, &rel, sizeof(rel));
	KT_EXPECT_EQ(t, futex(&f, WORD, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 7, TS, 0, 0), 0);
	KT_EXPECT_EQ(t, f.futex.cmd, FUTEX_WAIT);
	KT_EXPECT_EQ(t, f.futex.val, 7);
	KT_EXPECT_EQ(t, f.futex.bitset, FUTEX_BITSET_MATCH_ANY);
	KT_EXPECT(t, !f.futex.shared);
	KT_EXPECT_EQ(t, f.futex.deadline, 5000000005ull); /* relative: now + 2 s */
	KT_EXPECT_EQ(t, futex(&f, WORD, FUTEX_WAIT_BITSET, 7, TS, 0, 6), 0);
	KT_EXPECT_EQ(t, f.futex.cmd, FUTEX_WAIT);
	KT_EXPECT_EQ(t, f.futex.bitset, 6);
	KT_EXPECT(t, f.futex.shared);
	KT_EXPECT_EQ(t, f.futex.deadline, 2000000005ull); /* absolute monotonic */
	KT_EXPECT_EQ(t, futex(&f, WORD, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 7, TS, 0, 1), 0);
	KT_EXPECT_EQ(t, f.futex.deadline, 3500000005ull); /* wall 2 s = monotonic 3.5 s */
	KT_EXPECT_EQ(t, futex(&f, WORD, FUTEX_WAKE_BITSET, 3, 0, 0, 0), -EINVAL);
	KT_EXPECT_EQ(t, futex(&f, WORD, FUTEX_WAIT_BITSET, 3, 0, 0, 0), -EINVAL);
	KT_EXPECT_EQ(t, futex(&f, WORD + 1, FUTEX_WAKE, 1, 0, 0, 0), -EINVAL);
	KT_EXPECT_EQ(t, futex(&f, WORD, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, 0, 0, 0), -ENOSYS);
	KT_EXPECT_EQ(t, futex(&f, WORD, FUTEX_LOCK_PI, 0, 0, 0, 0), -ENOSYS);
	KT_EXPECT_EQ(t, futex(&f, WORD, 99, 0, 0, 0, 0), -ENOSYS);
	KT_EXPECT_EQ(t, futex(&f, WORD, FUTEX_REQUEUE, 1, 2, WORD + 2, 0), -EINVAL);
	KT_EXPECT_EQ(t, futex(&f, WORD, FUTEX_CMP_REQUEUE, (u32)-1, 2, WORD + 4, 0), -EINVAL);
	KT_EXPECT_EQ(t, futex(&f, WORD, FUTEX_WAIT, 0, FAKE_HOLE, 0, 0), -EFAULT);
	fake_put(&f, 0x200, &bad, sizeof(bad));
	KT_EXPECT_EQ(t, futex(&f, WORD, FUTEX_WAIT, 0, TS, 0, 0), -EINVAL);
	KT_EXPECT_EQ(t, f.futex_calls, 3);
	KT_EXPECT_EQ(t, futex(&f, WORD, FUTEX_CMP_REQUEUE, 1, 5, WORD + 4, 9), 0);
	KT_EXPECT_EQ(t, f.futex.val2, 5);
	KT_EXPECT_EQ(t, f.futex.val3, 9);
	KT_EXPECT_EQ(t, f.futex.uaddr2, WORD + 4);
	fake_free(&f);
}

KTEST(sys_futex, wake_op)
{
	u32 v = 0;

	KT_EXPECT_EQ(t, abi_futex_op(FUTEX_OP_ADD << 28 | 5 << 12, 10, &v), 0);
	KT_EXPECT_EQ(t, v, 15);
	KT_EXPECT_EQ(t, abi_futex_op((u32)(FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT) << 28 | 4 << 12, 1, &v), 0);
	KT_EXPECT_EQ(t, v, 17);
	KT_EXPECT_EQ(t, abi_futex_op(FUTEX_OP_SET << 28 | 0xfff << 12, 3, &v), 0);
	KT_EXPECT_EQ(t, v, (u32)-1); /* oparg is signed, 12 bits */
	KT_EXPECT_EQ(t, abi_futex_op(FUTEX_OP_ANDN << 28 | 1 << 12, 3, &v), 0);
	KT_EXPECT_EQ(t, v, 2);
	KT_EXPECT_EQ(t, abi_futex_op(FUTEX_OP_XOR << 28 | 3 << 12, 1, &v), 0);
	KT_EXPECT_EQ(t, v, 2);
	KT_EXPECT_EQ(t, abi_futex_op(6u << 28, 1, &v), -ENOSYS);
	KT_EXPECT_EQ(t, abi_futex_cmp(FUTEX_OP_CMP_GT << 24 | 1, 2), 1);
	KT_EXPECT_EQ(t, abi_futex_cmp(FUTEX_OP_CMP_LT << 24 | 0xfff, 0), 0); /* 0 < -1 */
	KT_EXPECT_EQ(t, abi_futex_cmp(FUTEX_OP_CMP_EQ << 24 | 3, 3), 1);
	KT_EXPECT_EQ(t, abi_futex_cmp(9u << 24, 3), -ENOSYS);
}

KTEST(sys_futex, robust_list)
{
	struct fake_proc f;
	u64 *head, *len;

	fake_init(&f);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_set_robust_list, WORD, 12, 0, 0), -EINVAL);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_set_robust_list, WORD, 24, 0, 0), 0);
	KT_EXPECT_EQ(t, f.thread.robust_list, WORD);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_get_robust_list, 0, TS, TS + 8, 0), 0);
	head = fake_ptr(&f, TS);
	len = fake_ptr(&f, TS + 8);
	KT_EXPECT_EQ(t, *head, WORD);
	KT_EXPECT_EQ(t, *len, 24);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_get_robust_list, 99, TS, TS + 8, 0), -ESRCH);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_get_robust_list, 0, FAKE_HOLE, TS + 8, 0), -EFAULT);
	fake_free(&f);
}

KTEST(sys_futex, clone3_checks)
{
	u64 ca[11] = { 0 };
	struct fake_proc f;
	u64 uca = FAKE_BASE + 0x400;

	fake_init(&f);
	fake_put(&f, 0x400, ca, sizeof(ca));
	KT_EXPECT_EQ(t, fake_call(&f, __NR_clone3, uca, 32, 0, 0), -EINVAL);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_clone3, uca, 8192, 0, 0), -E2BIG);
	ca[0] = SIGCHLD; /* the exit signal has its own field */
	fake_put(&f, 0x400, ca, sizeof(ca));
	KT_EXPECT_EQ(t, fake_call(&f, __NR_clone3, uca, 88, 0, 0), -EINVAL);
	ca[0] = CLONE_THREAD; /* without CLONE_SIGHAND */
	fake_put(&f, 0x400, ca, sizeof(ca));
	KT_EXPECT_EQ(t, fake_call(&f, __NR_clone3, uca, 88, 0, 0), -EINVAL);
	ca[0] = 0;
	ca[5] = 0x1000; /* a stack with no size */
	fake_put(&f, 0x400, ca, sizeof(ca));
	KT_EXPECT_EQ(t, fake_call(&f, __NR_clone3, uca, 88, 0, 0), -EINVAL);
	ca[5] = 0;
	ca[11 - 1] = 0;
	fake_put(&f, 0x400, ca, sizeof(ca));
	*(u8 *)fake_ptr(&f, uca + 90) = 1; /* a non-zero byte past our struct */
	KT_EXPECT_EQ(t, fake_call(&f, __NR_clone3, uca, 96, 0, 0), -E2BIG);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_clone3, FAKE_HOLE, 88, 0, 0), -EFAULT);
	fake_free(&f);
}

KTEST(sys_futex, sched_calls)
{
	struct fake_proc f;
	u8 *mask;
	u32 *cpu;

	fake_init(&f);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_sched_yield, 0, 0, 0, 0), 0);
	KT_EXPECT_EQ(t, f.yields, 1);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_sched_getaffinity, 0, 128, WORD, 0), 8);
	mask = fake_ptr(&f, WORD);
	KT_EXPECT_EQ(t, mask[0], 3);
	KT_EXPECT_EQ(t, mask[1], 0);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_getcpu, TS, TS + 4, 0, 0), 0);
	cpu = fake_ptr(&f, TS);
	KT_EXPECT_EQ(t, cpu[0], 1);
	KT_EXPECT_EQ(t, cpu[1], 0);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_getcpu, FAKE_HOLE, 0, 0, 0), -EFAULT);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_sched_getparam, 0, TS, 0, 0), 0);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_sched_getparam, 0, 0, 0, 0), -EINVAL);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_sched_get_priority_max, 1, 0, 0, 0), 99);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_sched_get_priority_min, 0, 0, 0, 0), 0);
	KT_EXPECT_EQ(t, fake_call(&f, __NR_sched_get_priority_max, 9, 0, 0, 0), -EINVAL);
	fake_free(&f);
}
