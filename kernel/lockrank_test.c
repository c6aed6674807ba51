/*
 * Lock ranks: the bookkeeping on a stack of its own (in order, out of
 * order, releases in any order, a full stack), and, run only when named
 * (ktest=lockrank-demo), a real violation in a test image, which must
 * panic naming both locks:
 *   PANIC: lock order violation: acquiring lockrank-demo-outer (rank ..)
 *          while holding lockrank-demo-inner (rank ..)
 */
#include <tessera/ktest.h>
#include <tessera/lock.h>
#include <tessera/lockrank.h>

static int lt_a, lt_b, lt_c;

KTEST(lockrank, in_order_nests_and_releases_in_any_order)
{
	struct lock_stack s = { 0 };

	lockrank_acquire(&s, &lt_a, "a", LOCK_RANK_PROC_MM, true);
	lockrank_acquire(&s, &lt_b, "b", LOCK_RANK_EXCACHE_SET, true);
	lockrank_acquire(&s, &lt_c, "c", LOCK_RANK_WAITQ, true);
	KT_EXPECT_EQ(t, s.n, 3);
	lockrank_release(&s, &lt_b, "b");
	KT_EXPECT_EQ(t, s.n, 2);
	KT_EXPECT(t, s.e[0].lock == &lt_a && s.e[1].lock == &lt_c);
	lockrank_release(&s, &lt_a, "a");
	lockrank_release(&s, &lt_c, "c");
	KT_EXPECT_EQ(t, s.n, 0);
}

KTEST(lockrank, conflict_names_the_held_lock)
{
	struct lock_stack s = { 0 };
	const struct lock_held *h;

	lockrank_acquire(&s, &lt_a, "a", LOCK_RANK_PROC_MM, true);
	lockrank_acquire(&s, &lt_b, "b", LOCK_RANK_SCHED, true);
	KT_EXPECT(t, !lockrank_conflict(&s, LOCK_RANK_KMALLOC));
	h = lockrank_conflict(&s, LOCK_RANK_WAITQ);
	KT_ASSERT(t, h != NULL);
	KT_EXPECT_EQ(t, h->lock, &lt_b);
	/* Same rank twice is a conflict too. */
	h = lockrank_conflict(&s, LOCK_RANK_PROC_MM);
	KT_EXPECT(t, h && h->lock == &lt_a);
	/* Any held spinlock forbids every mutex (mutex_lock asks rank 0). */
	KT_EXPECT(t, lockrank_conflict(&s, 0) != NULL);
	lockrank_release(&s, &lt_a, "a");
	lockrank_release(&s, &lt_b, "b");
}

KTEST(lockrank, unchecked_acquire_records_without_checking)
{
	struct lock_stack s = { 0 };

	lockrank_acquire(&s, &lt_b, "b", LOCK_RANK_SCHED, true);
	lockrank_acquire(&s, &lt_a, "a", LOCK_RANK_PROC_MM, false);
	KT_EXPECT_EQ(t, s.n, 2);
	lockrank_release(&s, &lt_a, "a");
	lockrank_release(&s, &lt_b, "b");
}

KTEST(lockrank, a_full_stack_counts_what_it_dropped)
{
	struct lock_stack s = { 0 };
	static int locks[LOCK_HELD_MAX + 2];

	for (u32 i = 0; i < LOCK_HELD_MAX + 2; i++)
		lockrank_acquire(&s, &locks[i], "l", i + 1, true);
	KT_EXPECT_EQ(t, s.n, LOCK_HELD_MAX);
	KT_EXPECT_EQ(t, s.overflow, 2);
	for (u32 i = LOCK_HELD_MAX + 2; i-- > 0;)
		lockrank_release(&s, &locks[i], "l");
	KT_EXPECT_EQ(t, s.n, 0);
	KT_EXPECT_EQ(t, s.overflow, 0);
}

KTEST(lockrank, test_images_check)
{
	KT_EXPECT(t, lockrank_checks);
}

KTEST_MANUAL(lockrank, demo)
{
	static struct spinlock outer = SPINLOCK_INIT("lockrank-demo-outer", LOCK_RANK_TEST_OUTER);
	static struct spinlock inner = SPINLOCK_INIT("lockrank-demo-inner", LOCK_RANK_TEST_INNER);

	spin_lock(&outer);
	spin_lock(&inner);
	spin_unlock(&inner);
	spin_unlock(&outer);
	ktest_log("in order: no panic; now the wrong order");
	spin_lock(&inner);
	spin_lock(&outer);
	KT_EXPECT(t, false); /* not reached: the check panics */
}
