/*
 * The kernel's page allocator: kernel_pmm over all RAM the boot loader
 * reported usable, minus the first MiB, the kernel image and the allocator's
 * own metadata. Memory below 1 GiB is added first (the boot page tables map
 * only that much); page_add_high_memory() adds the rest once paging_init()
 * has built the full direct map.
 */
#include <tessera/arch.h>
#include <tessera/boot.h>
#include <tessera/kmalloc.h>
#include <tessera/pmm.h>
#include <tessera/printk.h>
#include <tessera/string.h>

#include "kernel/globals.h"

#define LOW_LIMIT (1 * GiB)

struct pmm kernel_pmm;
static paddr_t meta_start, meta_end;

static u64 page_span(void)
{
	u64 end = 0;

	for (int i = 0; i < boot_info.nr_ranges; i++)
		if (boot_info.ranges[i].type == BOOT_MEM_USABLE)
			end = MAX(end, boot_info.ranges[i].base + boot_info.ranges[i].len);
	return ALIGN_DOWN(end, PAGE_SIZE);
}

/* A place for the metadata: usable, above the kernel, below LOW_LIMIT. */
static paddr_t page_meta_place(size_t size)
{
	for (int i = 0; i < boot_info.nr_ranges; i++) {
		const struct boot_mem_range *r = &boot_info.ranges[i];
		paddr_t s = ALIGN_UP(MAX(r->base, boot_info.kernel_end), PAGE_SIZE);

		if (r->type == BOOT_MEM_USABLE && s + size <= r->base + r->len &&
		    s + size <= LOW_LIMIT)
			return s;
	}
	panic("no room below 1 GiB for %zu bytes of page metadata", size);
}

/* Add the usable parts of [lo, hi) outside the kernel and the metadata. */
static void page_add_window(paddr_t lo, paddr_t hi)
{
	for (int i = 0; i < boot_info.nr_ranges; i++) {
		const struct boot_mem_range *r = &boot_info.ranges[i];
		paddr_t s = MAX(r->base, lo), e = MIN(r->base + r->len, hi);

		if (r->type != BOOT_MEM_USABLE || s >= e)
			continue;
		s = MAX(s, (paddr_t)MiB);
		if (s < boot_info.kernel_end && e > boot_info.kernel_start) {
			pmm_add_range(&kernel_pmm, s, boot_info.kernel_start);
			s = boot_info.kernel_end;
		}
		if (s < meta_end && e > meta_start) {
			pmm_add_range(&kernel_pmm, s, meta_start);
			s = meta_end;
		}
		if (s < e)
			pmm_add_range(&kernel_pmm, s, e);
	}
}

void page_init_low(void)
{
	u64 span = page_span();
	size_t meta = pmm_meta_size(span);

	meta_start = page_meta_place(meta);
	meta_end = ALIGN_UP(meta_start + meta, PAGE_SIZE);
	pmm_init(&kernel_pmm, 0, span, phys_to_virt(meta_start));
	page_add_window(0, LOW_LIMIT);
}

void page_add_high_memory(void)
{
	page_add_window(LOW_LIMIT, ~0ull);
	pr_info("memory: %llu MiB free (%s map, %d ranges)\n",
		(unsigned long long)(kernel_pmm.free_pages * PAGE_SIZE / MiB),
		boot_info.loader, boot_info.nr_ranges);
}

paddr_t page_alloc(unsigned order)
{
	return pmm_alloc_order(&kernel_pmm, order);
}

void page_free(paddr_t pa, unsigned order)
{
	pmm_free_order(&kernel_pmm, pa, order);
}

void *page_alloc_zeroed(void)
{
	paddr_t pa = page_alloc(0);

	if (!pa)
		return NULL;
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return phys_to_virt(pa);
}

void *kmem_pages_alloc(unsigned order)
{
	paddr_t pa = page_alloc(order);

	return pa ? phys_to_virt(pa) : NULL;
}

void kmem_pages_free(void *p, unsigned order)
{
	page_free(virt_to_phys(p), order);
}
