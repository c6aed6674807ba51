/*
 * The page store: a write-back then a read returns the same bytes; a page
 * never written is absent; pages of one pid do not leak into another's;
 * freeing a range frees exactly the pages inside it, by lookup for small
 * ranges and by a table scan for large ones; the table grows under load;
 * counters add up; allocation failure is reported and leaves no entry.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/ktest.h>
#include <tessera/string.h>

#include "memory/mem_testenv.h"

#define P 0x1000ull

struct pt {
	struct pstore ps;
	u8 in[4096], out[4096];
};

KTEST(pstore, round_trip)
{
	struct pt *x = kzalloc(sizeof(*x));
	struct pstore_stats st;

	KT_ASSERT(t, x && pstore_init(&x->ps, &mem_test_alloc) == 0);
	KT_EXPECT_EQ(t, pstore_read(&x->ps, 1, 0x400000, x->out), -ENOENT);
	for (u32 i = 0; i < 4096; i++)
		x->in[i] = (u8)(i * 7);
	KT_EXPECT_EQ(t, pstore_write(&x->ps, 1, 0x400000, x->in), 0);
	KT_EXPECT_EQ(t, pstore_read(&x->ps, 1, 0x400000, x->out), 0);
	KT_EXPECT(t, !memcmp(x->in, x->out, 4096));
	KT_EXPECT_EQ(t, pstore_read(&x->ps, 2, 0x400000, x->out), -ENOENT);
	x->in[0] = 0xee;
	KT_EXPECT_EQ(t, pstore_write(&x->ps, 1, 0x400000, x->in), 0);
	KT_EXPECT_EQ(t, pstore_read(&x->ps, 1, 0x400000, x->out), 0);
	KT_EXPECT_EQ(t, x->out[0], 0xee);
	pstore_get_stats(&x->ps, &st);
	KT_EXPECT_EQ(t, st.pages, 1);
	KT_EXPECT_EQ(t, st.allocated, 1);
	KT_EXPECT_EQ(t, st.writes, 2);
	KT_EXPECT_EQ(t, st.reads, 2);
	pstore_destroy(&x->ps);
	KT_EXPECT_EQ(t, mem_test_alloc_live, 0);
	kfree(x);
}

KTEST(pstore, free_range_and_growth)
{
	struct pt *x = kzalloc(sizeof(*x));
	struct pstore_stats st;
	u32 n = 5000;

	KT_ASSERT(t, x && pstore_init(&x->ps, &mem_test_alloc) == 0);
	for (u32 i = 0; i < n; i++) {
		*(u32 *)x->in = i;
		KT_ASSERT(t, pstore_write(&x->ps, 1 + i % 2, i * P, x->in) == 0);
	}
	KT_EXPECT(t, x->ps.nbuckets > 1024); /* grew */
	for (u32 i = 0; i < n; i += 97) {
		KT_EXPECT_EQ(t, pstore_read(&x->ps, 1 + i % 2, i * P, x->out), 0);
		KT_EXPECT_EQ(t, *(u32 *)x->out, i);
	}
	/* small range: pages 10..19 of pid 1 (even pages) */
	KT_EXPECT_EQ(t, pstore_free_range(&x->ps, 1, 10 * P, 20 * P), 5);
	KT_EXPECT_EQ(t, pstore_read(&x->ps, 1, 12 * P, x->out), -ENOENT);
	KT_EXPECT_EQ(t, pstore_read(&x->ps, 2, 11 * P, x->out), 0);
	KT_EXPECT_EQ(t, pstore_read(&x->ps, 1, 20 * P, x->out), 0);
	/* large range: a scan of the table */
	KT_EXPECT_EQ(t, pstore_free_range(&x->ps, 2, 0, 1ull << 40), n / 2);
	pstore_get_stats(&x->ps, &st);
	KT_EXPECT_EQ(t, st.pages, n / 2 - 5);
	KT_EXPECT_EQ(t, st.freed, n / 2 + 5);
	KT_EXPECT_EQ(t, st.allocated, n);
	pstore_destroy(&x->ps);
	KT_EXPECT_EQ(t, mem_test_alloc_live, 0);
	kfree(x);
}

KTEST(pstore, out_of_memory)
{
	struct pt *x = kzalloc(sizeof(*x));

	KT_ASSERT(t, x && pstore_init(&x->ps, &mem_test_alloc) == 0);
	mem_test_alloc_count = 0;
	mem_test_alloc_fail_at = 2; /* the entry succeeds, its page fails */
	KT_EXPECT_EQ(t, pstore_write(&x->ps, 1, 0, x->in), -ENOMEM);
	mem_test_alloc_fail_at = 0;
	KT_EXPECT_EQ(t, pstore_read(&x->ps, 1, 0, x->out), -ENOENT);
	pstore_destroy(&x->ps);
	KT_EXPECT_EQ(t, mem_test_alloc_live, 0);
	kfree(x);
}
