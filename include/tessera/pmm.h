/*
 * Physical page allocator: a binary buddy allocator over 4 KiB frames.
 * Blocks are 2^order frames, naturally aligned; PMM_MAX_ORDER - 1 is the
 * largest. Metadata lives in an array of struct pmm_page (one per frame of
 * the managed span), so the allocator never touches the memory it manages
 * and runs unchanged on the host in unit tests.
 *
 * Locking: pmm->lock guards the free lists and every pmm_page.
 */
#ifndef TESSERA_PMM_H
#define TESSERA_PMM_H

#include <tessera/list.h>
#include <tessera/lock.h>
#include <tessera/types.h>

#define PAGE_SIZE 4096ull
#define PAGE_SHIFT 12
#define PMM_MAX_ORDER 11 /* up to 4 MiB blocks */

struct pmm_page {
	struct list_node link; /* on free_list[order] while free */
	u8 order;              /* of the block this frame heads */
	u8 free;               /* heads a free block */
	u8 reserved;           /* never managed (hole, kernel, metadata) */
	u8 pad[5];
};

struct pmm {
	struct spinlock lock;
	paddr_t base;            /* physical address of pages[0] */
	u64 nr_pages;
	struct pmm_page *pages;
	struct list_node free_list[PMM_MAX_ORDER];
	u64 free_pages;
};

/* Bytes of metadata needed to manage [base, base + span). */
size_t pmm_meta_size(u64 span);
/* Start managing [base, base+span) with every frame reserved. */
void pmm_init(struct pmm *pmm, paddr_t base, u64 span, struct pmm_page *meta);
/* Hand [start, end) (page aligned inward) to the allocator. */
void pmm_add_range(struct pmm *pmm, paddr_t start, paddr_t end);
/* 2^order contiguous frames, or 0 when none is free. */
paddr_t pmm_alloc_order(struct pmm *pmm, unsigned order);
void pmm_free_order(struct pmm *pmm, paddr_t pa, unsigned order);

/* The kernel's allocator, set up at boot from the memory map. */
extern struct pmm kernel_pmm;
paddr_t page_alloc(unsigned order);
void page_free(paddr_t pa, unsigned order);
/* Zeroed single page through the direct map; NULL when out of memory. */
void *page_alloc_zeroed(void);

#endif
