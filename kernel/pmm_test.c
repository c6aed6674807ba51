/* Buddy allocator tests over a made-up span: no real memory is touched, so
 * they run both in the kernel and on the host. */
#include <tessera/ktest.h>
#include <tessera/pmm.h>

#define SPAN (8 * MiB)
#define BASE (16 * MiB)

static struct pmm_page test_meta[SPAN / PAGE_SIZE];

static void pmm_setup(struct pmm *p)
{
	pmm_init(p, BASE, SPAN, test_meta);
	pmm_add_range(p, BASE, BASE + SPAN);
}

KTEST(pmm, alloc_all_then_free_merges)
{
	static paddr_t got[SPAN / PAGE_SIZE + 1]; /* and the failed one */
	struct pmm p;
	u64 n = 0;

	pmm_setup(&p);
	KT_EXPECT_EQ(t, p.free_pages, SPAN / PAGE_SIZE);
	while ((got[n] = pmm_alloc_order(&p, 0)))
		n++;
	KT_EXPECT_EQ(t, n, SPAN / PAGE_SIZE);
	KT_EXPECT_EQ(t, p.free_pages, 0);
	for (u64 i = 0; i < n; i++)
		pmm_free_order(&p, got[i], 0);
	/* everything merged back into maximal blocks */
	KT_EXPECT_EQ(t, pmm_alloc_order(&p, PMM_MAX_ORDER - 1) != 0, 1);
	KT_EXPECT_EQ(t, p.free_pages, SPAN / PAGE_SIZE - (1u << (PMM_MAX_ORDER - 1)));
}

KTEST(pmm, blocks_aligned_and_disjoint)
{
	struct pmm p;
	paddr_t a, b, c;

	pmm_setup(&p);
	a = pmm_alloc_order(&p, 3);
	b = pmm_alloc_order(&p, 3);
	c = pmm_alloc_order(&p, 0);
	KT_EXPECT_EQ(t, a % (8 * PAGE_SIZE), 0);
	KT_EXPECT_EQ(t, b % (8 * PAGE_SIZE), 0);
	KT_EXPECT(t, a != b);
	KT_EXPECT(t, c < a || c >= a + 8 * PAGE_SIZE);
	KT_EXPECT(t, c < b || c >= b + 8 * PAGE_SIZE);
	KT_EXPECT(t, a >= BASE && a < BASE + SPAN);
}

KTEST(pmm, holes_are_never_handed_out)
{
	struct pmm p;
	paddr_t pa;
	u64 n = 0;

	pmm_init(&p, BASE, SPAN, test_meta);
	pmm_add_range(&p, BASE + 1 * MiB, BASE + 2 * MiB);
	pmm_add_range(&p, BASE + 5 * MiB + 100, BASE + 6 * MiB); /* unaligned start */
	while ((pa = pmm_alloc_order(&p, 0))) {
		bool in1 = pa >= BASE + 1 * MiB && pa < BASE + 2 * MiB;
		bool in2 = pa >= BASE + 5 * MiB + PAGE_SIZE && pa < BASE + 6 * MiB;

		KT_ASSERT(t, in1 || in2);
		n++;
	}
	KT_EXPECT_EQ(t, n, 256 + 255);
}

KTEST(pmm, exhaustion_and_oversize)
{
	struct pmm p;

	pmm_init(&p, BASE, SPAN, test_meta);
	pmm_add_range(&p, BASE, BASE + 64 * KiB);
	KT_EXPECT_EQ(t, pmm_alloc_order(&p, 5), 0);       /* 128 KiB > 64 KiB */
	KT_EXPECT_EQ(t, pmm_alloc_order(&p, PMM_MAX_ORDER), 0);
	KT_EXPECT(t, pmm_alloc_order(&p, 4) != 0);
	KT_EXPECT_EQ(t, pmm_alloc_order(&p, 0), 0);
}
