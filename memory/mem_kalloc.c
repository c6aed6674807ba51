/* The mMonitor's allocator in a monitor (and in host tests, over the test
 * page shim): kzalloc/kfree for objects, single pages from the kernel page
 * source for backing pages. */
#include <tessera/kmalloc.h>

#include "memory/mem_alloc.h"

static void *mem_kalloc_page(void)
{
	return kmem_pages_alloc(0);
}

static void mem_kalloc_page_free(void *page)
{
	kmem_pages_free(page, 0);
}

const struct mem_alloc mem_kalloc = {
	.alloc = kzalloc,
	.free = kfree,
	.page_alloc = mem_kalloc_page,
	.page_free = mem_kalloc_page_free,
};
