/*
 * VMA sets: the mappings of an address space, or of a part of one, as a
 * sorted array of disjoint ranges. The mMonitor keeps one per process at
 * its home and one per vRegion at its owner (memory/vma_space.h adds the
 * Linux mmap rules); the pMonitor keeps one per process as a mirror of
 * what its memory backend reports.
 *
 * Lookup is a binary search, O(log n); insertion and removal move the
 * tail of the array, O(n) memmove, which for the hundreds to few
 * thousands of VMAs a process has is cheaper than rebalancing a tree and
 * keeps the code small. Adjacent compatible VMAs (vma_mergeable in
 * vmaset.c) are merged on every change.
 *
 * Operations that split VMAs reserve room first, so a change either
 * happens whole or fails with -ENOMEM and leaves the set as it was.
 *
 * Ranges need not be page aligned: the set only compares addresses.
 *
 * Not locked: the owner serializes.
 */
#ifndef TESSERA_VMASET_H
#define TESSERA_VMASET_H

#include <tessera/types.h>

#define VMASET_FILE 1u /* file-backed: file, off and flen are meaningful */

/* A file as the storage protocol names it: inode number and generation. */
struct vmaset_file {
	u64 ino;
	u32 gen;
	u32 pad;
};

/*
 * One mapping [start, end). off is the file offset of start; a split moves
 * it along with start (also for anonymous VMAs, whose owners ignore it).
 * flen is how many bytes from start come from the file, zeros after; it
 * may exceed the length. flags holds VMASET_FILE and any bits of the
 * owner's own, which only have to be equal for two VMAs to merge.
 */
struct vma {
	u64 start, end;
	u64 off;
	u64 flen;
	struct vmaset_file file;
	u32 prot;
	u32 flags;
};

struct vmaset {
	struct vma *v; /* v[0..n), sorted by start, disjoint */
	u32 n, cap;
	void *(*alloc)(size_t size); /* NULL when out of memory */
	void (*free)(void *p);      /* NULL is fine */
};

void vmaset_init(struct vmaset *s, void *(*alloc)(size_t size),
		 void (*free)(void *p));
void vmaset_destroy(struct vmaset *s);
/* dst (initialized, empty) becomes a copy of src: 0 or -ENOMEM (dst
 * stays empty). */
int vmaset_copy(struct vmaset *dst, const struct vmaset *src);

/* The VMA containing addr, or NULL. */
struct vma *vmaset_find(const struct vmaset *s, u64 addr);
/* Index of the first VMA ending after addr (s->n if none). */
u32 vmaset_first_after(const struct vmaset *s, u64 addr);
/* True if no VMA intersects [start, end). */
bool vmaset_range_free(const struct vmaset *s, u64 start, u64 end);
/* True if [start, end) is covered by VMAs with no hole. */
bool vmaset_range_mapped(const struct vmaset *s, u64 start, u64 end);

/* Install v, replacing whatever overlapped it, merging with neighbours.
 * 0 or -ENOMEM. */
int vmaset_insert(struct vmaset *s, const struct vma *v);
/* Unmap [start, end), splitting VMAs at the edges; holes are fine. */
int vmaset_remove(struct vmaset *s, u64 start, u64 end);
/* Set prot on every mapped part of [start, end), splitting and merging. */
int vmaset_protect(struct vmaset *s, u64 start, u64 end, u32 prot);

/* The highest free gap of len bytes within [lo, hi): 0 and *addr, or
 * -ENOMEM. */
int vmaset_gap_topdown(const struct vmaset *s, u64 len, u64 lo, u64 hi,
		       u64 *addr);
/* The lowest free gap of len bytes within [lo, hi). */
int vmaset_gap_bottomup(const struct vmaset *s, u64 len, u64 lo, u64 hi,
			u64 *addr);

#endif
