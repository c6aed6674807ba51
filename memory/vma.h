/*
 * VMA sets: the mappings of one address space (at a home) or of one
 * vRegion of it (at an owner).
 *
 * A set is a sorted array of non-overlapping VMAs, ordered by start.
 * Lookup is a binary search, O(log n); insertion and removal move the tail
 * of the array, O(n) memmove, which for the hundreds to few thousands of
 * VMAs a process has is cheaper than rebalancing a tree and keeps the code
 * small. Adjacent compatible VMAs are merged on every change, so the array
 * stays as short as Linux's VMA list would be.
 *
 * Operations that split VMAs reserve room first, so a change either
 * happens whole or fails with -ENOMEM and leaves the set as it was.
 *
 * Not thread-safe: the caller serializes access (see memory/mem.h).
 */
#ifndef MEMORY_VMA_H
#define MEMORY_VMA_H

#include <tessera/types.h>
#include <tessera/wire/mem.h>

#include "memory/mem_alloc.h"

#define VMA_PAGE_SIZE ((u64)MEM_PAGE_SIZE)
#define VMA_PAGE_MASK (VMA_PAGE_SIZE - 1)

struct vma {
	u64 start, end; /* [start, end), page aligned */
	u64 off; /* MEM_VMA_FILE: file offset of start */
	struct mem_file_handle file; /* MEM_VMA_FILE */
	u32 prot; /* MEM_PROT_* */
	u32 flags; /* MEM_VMA_* */
};

struct vma_set {
	struct vma *v; /* v[0..n), sorted by start, disjoint */
	u32 n, cap;
	const struct mem_alloc *alloc;
};

void vma_set_init(struct vma_set *s, const struct mem_alloc *a);
void vma_set_destroy(struct vma_set *s);

/* The VMA containing addr, or NULL. */
struct vma *vma_find(const struct vma_set *s, u64 addr);
/* Index of the first VMA ending after addr (s->n if none). */
u32 vma_first_after(const struct vma_set *s, u64 addr);
/* True if no VMA intersects [start, end). */
bool vma_range_free(const struct vma_set *s, u64 start, u64 end);
/* True if [start, end) is covered by VMAs with no hole. */
bool vma_range_mapped(const struct vma_set *s, u64 start, u64 end);

/* Insert v (its range must be free), merging with its neighbours. */
int vma_insert(struct vma_set *s, const struct vma *v);
/* Unmap [start, end), splitting VMAs at the edges; holes are fine. */
int vma_remove(struct vma_set *s, u64 start, u64 end);
/* Set prot on every mapped page of [start, end), splitting and merging. */
int vma_protect(struct vma_set *s, u64 start, u64 end, u32 prot);

/* The highest free gap of len bytes within [lo, hi): 0 and *addr, or
 * -ENOMEM. */
int vma_gap_topdown(const struct vma_set *s, u64 len, u64 lo, u64 hi,
		    u64 *addr);
/* The lowest free gap of len bytes within [lo, hi). */
int vma_gap_bottomup(const struct vma_set *s, u64 len, u64 lo, u64 hi,
		     u64 *addr);

#endif
