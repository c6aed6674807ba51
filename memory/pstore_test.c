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

/* A fork shares pages: each side reads the parent's bytes, a write-back
 * gives the writer its own copy, and a shared page lives until the last
 * of its entries goes. */
KTEST(pstore, fork_shares_until_written)
{
	struct pt *x = kzalloc(sizeof(*x));
	struct pstore_stats st;

	KT_ASSERT(t, x && pstore_init(&x->ps, &mem_test_alloc) == 0);
	for (u32 i = 0; i < 3; i++) {
		memset(x->in, 0xa0 + i, 4096);
		KT_ASSERT(t, pstore_write(&x->ps, 1, (16 + i) * P, x->in) == 0);
	}
	KT_EXPECT_EQ(t, pstore_write(&x->ps, 1, 99 * P, x->in), 0); /* outside the range */
	KT_EXPECT_EQ(t, pstore_fork(&x->ps, 1, 2, 0, 64 * P), 0);
	pstore_get_stats(&x->ps, &st);
	KT_EXPECT_EQ(t, st.pages, 7);
	KT_EXPECT_EQ(t, st.allocated, 4); /* no page was copied */
	KT_EXPECT_EQ(t, pstore_read(&x->ps, 2, 17 * P, x->out), 0);
	KT_EXPECT_EQ(t, x->out[100], 0xa1);
	KT_EXPECT_EQ(t, pstore_read(&x->ps, 2, 99 * P, x->out), -ENOENT);
	memset(x->in, 0x55, 4096);
	KT_EXPECT_EQ(t, pstore_write(&x->ps, 2, 17 * P, x->in), 0);
	KT_EXPECT_EQ(t, pstore_read(&x->ps, 1, 17 * P, x->out), 0);
	KT_EXPECT_EQ(t, x->out[100], 0xa1); /* the parent's is untouched */
	KT_EXPECT_EQ(t, pstore_read(&x->ps, 2, 17 * P, x->out), 0);
	KT_EXPECT_EQ(t, x->out[100], 0x55);
	memset(x->in, 0x66, 4096);
	KT_EXPECT_EQ(t, pstore_write(&x->ps, 1, 17 * P, x->in), 0); /* its own again */
	KT_EXPECT_EQ(t, pstore_read(&x->ps, 2, 17 * P, x->out), 0);
	KT_EXPECT_EQ(t, x->out[100], 0x55);
	pstore_get_stats(&x->ps, &st);
	KT_EXPECT_EQ(t, st.cow, 1);
	KT_EXPECT_EQ(t, pstore_free_range(&x->ps, 1, 0, 128 * P), 4);
	KT_EXPECT_EQ(t, pstore_read(&x->ps, 2, 18 * P, x->out), 0); /* shared: kept */
	KT_EXPECT_EQ(t, x->out[0], 0xa2);
	KT_EXPECT_EQ(t, pstore_write(&x->ps, 2, 18 * P, x->in), 0); /* last sharer */
	KT_EXPECT_EQ(t, pstore_free_range(&x->ps, 2, 0, 128 * P), 3);
	pstore_destroy(&x->ps);
	KT_EXPECT_EQ(t, mem_test_alloc_live, 0);
	kfree(x);
}

/* A fork that runs out of memory shares nothing; one over shared pages
 * shares them three ways; destroying the store frees each page once. */
KTEST(pstore, fork_out_of_memory_and_three_ways)
{
	struct pt *x = kzalloc(sizeof(*x));
	struct pstore_stats st;

	KT_ASSERT(t, x && pstore_init(&x->ps, &mem_test_alloc) == 0);
	for (u32 i = 0; i < 8; i++)
		KT_ASSERT(t, pstore_write(&x->ps, 1, i * P, x->in) == 0);
	mem_test_alloc_count = 0;
	mem_test_alloc_fail_at = 6;
	KT_EXPECT_EQ(t, pstore_fork(&x->ps, 1, 2, 0, 8 * P), -ENOMEM);
	mem_test_alloc_fail_at = 0;
	pstore_get_stats(&x->ps, &st);
	KT_EXPECT_EQ(t, st.pages, 8);
	KT_EXPECT_EQ(t, pstore_read(&x->ps, 2, 0, x->out), -ENOENT);
	KT_EXPECT_EQ(t, pstore_fork(&x->ps, 1, 2, 0, 8 * P), 0);
	KT_EXPECT_EQ(t, pstore_fork(&x->ps, 2, 3, 0, 8 * P), 0);
	KT_EXPECT_EQ(t, pstore_read(&x->ps, 3, 7 * P, x->out), 0);
	pstore_get_stats(&x->ps, &st);
	KT_EXPECT_EQ(t, st.pages, 24);
	KT_EXPECT_EQ(t, st.forked, 16);
	pstore_destroy(&x->ps);
	KT_EXPECT_EQ(t, mem_test_alloc_live, 0);
	kfree(x);
}

/* pstore_next walks one pid's pages in address order, max at a time,
 * whatever order they were written in; pstore_has sees exactly them. */
KTEST(pstore, next_in_address_order)
{
	struct pt *x = kzalloc(sizeof(*x));
	u64 out[8], at = 0, seen = 0, last = 0;
	u32 n;

	KT_ASSERT(t, x && pstore_init(&x->ps, &mem_test_alloc) == 0);
	for (u64 i = 0; i < 100; i++) {
		KT_EXPECT_EQ(t, pstore_write(&x->ps, 1, ((i * 37) % 100) * 3 * P, x->in), 0);
		KT_EXPECT_EQ(t, pstore_write(&x->ps, 2, i * P, x->in), 0);
	}
	KT_EXPECT(t, pstore_has(&x->ps, 1, 3 * P) && !pstore_has(&x->ps, 1, 4 * P));
	while ((n = pstore_next(&x->ps, 1, at, out, 8)) > 0) {
		for (u32 i = 0; i < n; i++) {
			KT_EXPECT(t, seen == 0 || out[i] > last);
			KT_EXPECT_EQ(t, out[i] % (3 * P), 0);
			last = out[i];
			seen++;
		}
		at = last + P;
	}
	KT_EXPECT_EQ(t, seen, 100);
	KT_EXPECT_EQ(t, pstore_next(&x->ps, 3, 0, out, 8), 0);
	KT_EXPECT_EQ(t, pstore_next(&x->ps, 1, 0, out, 0), 0);
	pstore_destroy(&x->ps);
	kfree(x);
	KT_EXPECT_EQ(t, mem_test_alloc_live, 0);
}
