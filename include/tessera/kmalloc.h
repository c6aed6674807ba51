/*
 * Kernel heap. Small objects (up to 2 KiB) come from per-size-class slabs of
 * one page each; larger ones take whole page blocks. Memory is not zeroed
 * unless kzalloc is used. Any context except interrupt handlers.
 */
#ifndef TESSERA_KMALLOC_H
#define TESSERA_KMALLOC_H

#include <tessera/types.h>

void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);

struct kmalloc_stats {
	u64 slabs;       /* slab pages in use */
	u64 large;       /* large blocks in use */
	u64 objects;     /* small objects in use */
};
void kmalloc_get_stats(struct kmalloc_stats *st);

/* Where kmalloc gets its pages: 2^order contiguous pages, page aligned,
 * addressable; NULL when out of memory. Provided by kernel/page.c (direct
 * map) or by the host test shim. */
void *kmem_pages_alloc(unsigned order);
void kmem_pages_free(void *p, unsigned order);

#endif
