/*
 * Where the mMonitor's memory comes from: small objects (VMA arrays, table
 * entries) and 4 KiB backing pages. Injected so the same code runs on the
 * kernel's allocators (memory/mem_kalloc.c) and in host tests, which can
 * make allocations fail on purpose. All four may be called from any
 * worker thread; memory/ never calls them with one of its spinlocks held.
 */
#ifndef MEMORY_MEM_ALLOC_H
#define MEMORY_MEM_ALLOC_H

#include <tessera/types.h>

struct mem_alloc {
	void *(*alloc)(size_t size); /* zeroed, or NULL */
	void (*free)(void *p); /* NULL is fine */
	void *(*page_alloc)(void); /* 4096 bytes, page aligned, or NULL */
	void (*page_free)(void *page);
};

/* kmalloc for objects, kmem_pages_alloc for pages. */
extern const struct mem_alloc mem_kalloc;

#endif
