/* The BAR address allocator: alignment, windows, skipping used ranges. */
#include <tessera/ktest.h>

#include "kernel/drivers/pci_priv.h"

KTEST(pci_space, aligned_and_inside_window)
{
	static struct pci_space s;
	u64 a, b;

	pci_space_init(&s, 0xC0000000ull, 0xC0100000ull);
	a = pci_space_alloc(&s, 0x1000);
	b = pci_space_alloc(&s, 0x4000);
	KT_EXPECT_EQ(t, a, 0xC0000000ull);
	KT_EXPECT_EQ(t, b, 0xC0004000ull);
	KT_EXPECT_EQ(t, pci_space_alloc(&s, 0x100000), 0);
	KT_EXPECT_EQ(t, pci_space_alloc(&s, 0x3000), 0); /* not a power of two */
	KT_EXPECT_EQ(t, pci_space_alloc(&s, 0), 0);
}

KTEST(pci_space, skips_reserved_ranges)
{
	static struct pci_space s;
	u64 a;

	pci_space_init(&s, 0xC000, 0x10000);
	KT_EXPECT_EQ(t, pci_space_reserve(&s, 0xC000, 0x40), 0);
	KT_EXPECT_EQ(t, pci_space_reserve(&s, 0xC0A0, 0x20), 0);
	a = pci_space_alloc(&s, 0x40);
	KT_EXPECT_EQ(t, a, 0xC040);
	a = pci_space_alloc(&s, 0x40);
	KT_EXPECT_EQ(t, a, 0xC0C0); /* 0xC080 would overlap 0xC0A0 */
	a = pci_space_alloc(&s, 0x20);
	KT_EXPECT_EQ(t, a, 0xC080);
}

KTEST(pci_space, exhaustion_returns_zero)
{
	static struct pci_space s;
	int n = 0;

	pci_space_init(&s, 0x1000, 0x2000);
	while (pci_space_alloc(&s, 0x100))
		n++;
	KT_EXPECT_EQ(t, n, 16);
	KT_EXPECT_EQ(t, pci_space_alloc(&s, 0x10), 0);
}
