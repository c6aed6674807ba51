/* Buddy allocator over struct pmm_page metadata; see include/tessera/pmm.h. */
#include <tessera/pmm.h>
#include <tessera/printk.h>

size_t pmm_meta_size(u64 span)
{
	return (span / PAGE_SIZE) * sizeof(struct pmm_page);
}

void pmm_init(struct pmm *pmm, paddr_t base, u64 span, struct pmm_page *meta)
{
	spin_init(&pmm->lock, "pmm", LOCK_RANK_PMM);
	pmm->base = base;
	pmm->nr_pages = span / PAGE_SIZE;
	pmm->pages = meta;
	pmm->free_pages = 0;
	for (unsigned o = 0; o < PMM_MAX_ORDER; o++)
		list_init(&pmm->free_list[o]);
	for (u64 i = 0; i < pmm->nr_pages; i++) {
		list_init(&meta[i].link);
		meta[i].order = 0;
		meta[i].free = 0;
		meta[i].reserved = 1;
	}
}

static u64 pmm_index(struct pmm *pmm, paddr_t pa)
{
	return (pa - pmm->base) / PAGE_SIZE;
}

/* Insert block idx of the given order, merging with free buddies. Lock held. */
static void pmm_insert(struct pmm *pmm, u64 idx, unsigned order)
{
	while (order + 1 < PMM_MAX_ORDER) {
		u64 buddy = idx ^ (1ull << order);
		struct pmm_page *b = &pmm->pages[buddy];

		if (buddy >= pmm->nr_pages || !b->free || b->order != order)
			break;
		list_del(&b->link);
		b->free = 0;
		idx &= ~(1ull << order);
		order++;
	}
	pmm->pages[idx].order = order;
	pmm->pages[idx].free = 1;
	list_add_head(&pmm->free_list[order], &pmm->pages[idx].link);
}

void pmm_add_range(struct pmm *pmm, paddr_t start, paddr_t end)
{
	start = MAX(ALIGN_UP(start, PAGE_SIZE), pmm->base);
	end = MIN(ALIGN_DOWN(end, PAGE_SIZE), pmm->base + pmm->nr_pages * PAGE_SIZE);
	spin_lock(&pmm->lock);
	for (paddr_t pa = start; pa < end; pa += PAGE_SIZE) {
		struct pmm_page *p = &pmm->pages[pmm_index(pmm, pa)];

		if (!p->reserved)
			continue;
		p->reserved = 0;
		pmm->free_pages++;
		pmm_insert(pmm, pmm_index(pmm, pa), 0);
	}
	spin_unlock(&pmm->lock);
}

paddr_t pmm_alloc_order(struct pmm *pmm, unsigned order)
{
	unsigned o = order;
	struct pmm_page *p;
	u64 idx;

	if (order >= PMM_MAX_ORDER)
		return 0;
	spin_lock(&pmm->lock);
	while (o < PMM_MAX_ORDER && list_empty(&pmm->free_list[o]))
		o++;
	if (o == PMM_MAX_ORDER) {
		spin_unlock(&pmm->lock);
		return 0;
	}
	p = list_entry(list_pop_head(&pmm->free_list[o]), struct pmm_page, link);
	p->free = 0;
	idx = p - pmm->pages;
	while (o > order) { /* split: keep the low half, free the high half */
		o--;
		pmm->pages[idx + (1ull << o)].order = o;
		pmm->pages[idx + (1ull << o)].free = 1;
		list_add_head(&pmm->free_list[o], &pmm->pages[idx + (1ull << o)].link);
	}
	p->order = order;
	pmm->free_pages -= 1ull << order;
	spin_unlock(&pmm->lock);
	return pmm->base + idx * PAGE_SIZE;
}

void pmm_free_order(struct pmm *pmm, paddr_t pa, unsigned order)
{
	u64 idx = pmm_index(pmm, pa);

	BUG_ON(pa < pmm->base || idx >= pmm->nr_pages || (pa & (PAGE_SIZE - 1)));
	spin_lock(&pmm->lock);
	BUG_ON(pmm->pages[idx].free || pmm->pages[idx].reserved);
	pmm->free_pages += 1ull << order;
	pmm_insert(pmm, idx, order);
	spin_unlock(&pmm->lock);
}
