/*
 * A first-fit allocator of naturally aligned blocks inside one window of bus
 * addresses, skipping the ranges already in use. It serves BAR assignment at
 * boot (one thread, no lock) and is portable, so it is also tested on the
 * host.
 */
#include <tessera/errno.h>

#include "kernel/drivers/pci_priv.h"

void pci_space_init(struct pci_space *s, u64 base, u64 limit)
{
	s->base = base;
	s->limit = limit;
	s->nr_used = 0;
}

int pci_space_reserve(struct pci_space *s, u64 base, u64 size)
{
	if (size == 0)
		return 0;
	if (s->nr_used == PCI_SPACE_MAX_USED)
		return -ENOSPC;
	s->used[s->nr_used].base = base;
	s->used[s->nr_used].end = base + size;
	s->nr_used++;
	return 0;
}

/* The end of a used range that overlaps [base, end), or 0 if none does. */
static u64 pci_space_conflict(const struct pci_space *s, u64 base, u64 end)
{
	for (int i = 0; i < s->nr_used; i++)
		if (base < s->used[i].end && s->used[i].base < end)
			return s->used[i].end;
	return 0;
}

u64 pci_space_alloc(struct pci_space *s, u64 size)
{
	u64 at, skip;

	if (size == 0 || (size & (size - 1)))
		return 0;
	at = ALIGN_UP(s->base, size);
	while (at >= s->base && at + size <= s->limit && at + size > at) {
		skip = pci_space_conflict(s, at, at + size);
		if (!skip) {
			if (pci_space_reserve(s, at, size))
				return 0;
			return at;
		}
		at = ALIGN_UP(skip, size);
	}
	return 0;
}
