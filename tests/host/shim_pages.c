/* kmalloc's page source for host tests: aligned blocks from libc. */
#include <stdlib.h>

#include <tessera/kmalloc.h>

void *kmem_pages_alloc(unsigned order)
{
	return aligned_alloc(4096, 4096ul << order);
}

void kmem_pages_free(void *p, unsigned order)
{
	free(p);
}
