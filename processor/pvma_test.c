/* VMA sets: splitting on unmap and protect, replacing on insert, file
 * offsets that follow a split, gaps found top-down. Host and in-kernel. */
#include <tessera/ktest.h>
#include <tessera/uapi/mman.h>

#include "processor/pvma.h"

#define PG 4096ull

static struct pvma vma(u64 start, u64 end, u32 prot)
{
	struct pvma v = { .start = start, .end = end, .prot = prot };

	return v;
}

KTEST(pvma, remove_splits_and_keeps_file_offsets)
{
	struct pvma_set s;
	struct pvma v = vma(0x10000, 0x10000 + 8 * PG, PROT_READ);
	const struct pvma *r;

	pvma_init(&s);
	v.flags = PVMA_FILE;
	v.off = 0x3000;
	v.flen = 3 * PG + 100;
	KT_ASSERT(t, pvma_insert(&s, &v) == 0);
	KT_ASSERT(t, pvma_remove(&s, 0x10000 + 2 * PG, 0x10000 + 4 * PG) == 0);
	KT_EXPECT_EQ(t, s.n, 2);
	r = pvma_find(&s, 0x10000 + 5 * PG);
	KT_ASSERT(t, r != NULL);
	KT_EXPECT_EQ(t, r->start, 0x10000 + 4 * PG);
	KT_EXPECT_EQ(t, r->off, 0x3000 + 4 * PG);
	KT_EXPECT_EQ(t, r->flen, 0); /* the file part ended before the cut */
	KT_EXPECT(t, pvma_find(&s, 0x10000 + 2 * PG) == NULL);
	r = pvma_find(&s, 0x10000 + PG);
	KT_ASSERT(t, r != NULL);
	KT_EXPECT_EQ(t, r->flen, 3 * PG + 100);
	KT_EXPECT(t, !pvma_covers(&s, 0x10000, 0x10000 + 8 * PG));
	KT_EXPECT(t, pvma_covers(&s, 0x10000, 0x10000 + 2 * PG));
	pvma_free(&s);
}

KTEST(pvma, protect_splits_three_ways_and_insert_replaces)
{
	struct pvma_set s;
	struct pvma v = vma(0x20000, 0x20000 + 6 * PG, PROT_READ | PROT_WRITE);
	struct pvma w = vma(0x20000 + PG, 0x20000 + 7 * PG, PROT_EXEC);

	pvma_init(&s);
	KT_ASSERT(t, pvma_insert(&s, &v) == 0);
	KT_ASSERT(t, pvma_protect(&s, 0x20000 + 2 * PG, 0x20000 + 3 * PG, PROT_READ) == 0);
	KT_EXPECT_EQ(t, s.n, 3);
	KT_EXPECT_EQ(t, pvma_find(&s, 0x20000 + 2 * PG)->prot, PROT_READ);
	KT_EXPECT_EQ(t, pvma_find(&s, 0x20000 + 3 * PG)->prot, PROT_READ | PROT_WRITE);
	KT_ASSERT(t, pvma_insert(&s, &w) == 0);
	KT_EXPECT_EQ(t, s.n, 2);
	KT_EXPECT_EQ(t, pvma_find(&s, 0x20000)->end, 0x20000 + PG);
	KT_EXPECT_EQ(t, pvma_find(&s, 0x20000 + 6 * PG)->prot, PROT_EXEC);
	for (u32 i = 1; i < s.n; i++)
		KT_EXPECT(t, s.v[i - 1].end <= s.v[i].start);
	pvma_free(&s);
}

KTEST(pvma, gaps_are_found_top_down)
{
	struct pvma_set s;
	struct pvma a = vma(0x100000 - 2 * PG, 0x100000, PROT_READ);
	struct pvma b = vma(0x100000 - 5 * PG, 0x100000 - 3 * PG, PROT_READ);

	pvma_init(&s);
	KT_EXPECT_EQ(t, pvma_gap_below(&s, PG, 0x10000, 0x100000), 0x100000 - PG);
	KT_ASSERT(t, pvma_insert(&s, &a) == 0 && pvma_insert(&s, &b) == 0);
	KT_EXPECT_EQ(t, pvma_gap_below(&s, PG, 0x10000, 0x100000), 0x100000 - 3 * PG);
	KT_EXPECT_EQ(t, pvma_gap_below(&s, 2 * PG, 0x10000, 0x100000), 0x100000 - 7 * PG);
	KT_EXPECT_EQ(t, pvma_gap_below(&s, 0x100000, 0x10000, 0x100000), 0);
	KT_EXPECT(t, pvma_is_free(&s, 0x100000 - 3 * PG, 0x100000 - 2 * PG));
	KT_EXPECT(t, !pvma_is_free(&s, 0x100000 - 3 * PG, 0x100000 - PG));
	pvma_free(&s);
}
