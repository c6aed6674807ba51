/*
 * The page store of an owner: backing pages of the vRegions it owns,
 * found by (pid, virtual page) in a chained hash table that doubles when
 * it holds two pages per bucket. A page exists only once a line was
 * written back; a page never written has no entry (anonymous: the
 * processor zero-fills it; file-backed: the owner reads the file).
 *
 * A fork shares pages between two processes: their entries point at the
 * same data and at one share count; a write-back to a shared page gives
 * the writer a page of its own first (copy on write), and a page's data
 * is freed with the last entry that uses it.
 *
 * Locking: pstore.lock (a spinlock) guards buckets, nbuckets, count, the
 * counters and every share count. Entries are allocated and freed outside
 * it. Page copies (4 KiB) are made under it.
 */
#ifndef MEMORY_PSTORE_H
#define MEMORY_PSTORE_H

#include <tessera/lock.h>
#include <tessera/types.h>

#include "memory/mem_alloc.h"

struct pstore_page {
	struct pstore_page *next; /* bucket chain */
	u64 vpage; /* virtual address >> 12 */
	u32 pid;
	u32 pad;
	void *data; /* 4096 bytes */
	u32 *share; /* entries using data (NULL: this one alone) */
};

struct pstore_stats {
	u64 pages; /* backing pages held now */
	u64 allocated; /* pages ever allocated (first write-backs) */
	u64 freed; /* pages freed by unmap or exit */
	u64 writes; /* write-backs stored */
	u64 reads; /* lines read from a backing page */
	u64 forked; /* entries made by fork, sharing a page */
	u64 cow; /* write-backs that unshared a page */
};

struct pstore {
	struct spinlock lock;
	struct pstore_page **buckets;
	u32 nbuckets; /* a power of two */
	u32 shift; /* 64 - log2(nbuckets) */
	struct pstore_stats st;
	const struct mem_alloc *alloc;
};

int pstore_init(struct pstore *ps, const struct mem_alloc *a);
/* Free every page and the table. */
void pstore_destroy(struct pstore *ps);

/* Copy the page at (pid, vaddr) into out: 0, or -ENOENT if none. */
int pstore_read(struct pstore *ps, u32 pid, u64 vaddr, void *out);
/* Store 4096 bytes at (pid, vaddr), allocating the page on first use. */
int pstore_write(struct pstore *ps, u32 pid, u64 vaddr, const void *in);
/* child gets an entry sharing every page pid has in [start, end): 0 or
 * -ENOMEM (nothing changed). The caller serializes requests of pid, so
 * its pages do not change meanwhile. */
int pstore_fork(struct pstore *ps, u32 pid, u32 child, u64 start, u64 end);
/* Free pid's pages in [start, end); returns how many. */
u64 pstore_free_range(struct pstore *ps, u32 pid, u64 start, u64 end);
void pstore_get_stats(struct pstore *ps, struct pstore_stats *st);
/* The addresses of pid's first (at most max) pages at or after vaddr,
 * ascending, into out; how many. A walk of the whole table. */
u32 pstore_next(struct pstore *ps, u32 pid, u64 vaddr, u64 *out, u32 max);
/* Does pid have a page at vaddr? */
bool pstore_has(struct pstore *ps, u32 pid, u64 vaddr);

#endif
