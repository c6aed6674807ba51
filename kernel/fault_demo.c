/* A manual test (ktest=fault-demo, never part of "all") that touches an
 * unmapped address: the run must end in a register dump and a failure exit,
 * never a hang. The harness checks exactly that. */
#include <tessera/ktest.h>

KTEST_MANUAL(fault, demo)
{
	volatile u64 *bad = (volatile u64 *)0xFFFFA00000001000ull;

	ktest_log("reading %p, which nothing maps", (void *)bad);
	KT_EXPECT_EQ(t, *bad, 0);
}
