/* The kernel's page allocator over real RAM (kernel only). */
#include <tessera/arch.h>
#include <tessera/ktest.h>
#include <tessera/pmm.h>
#include <tessera/string.h>

KTEST(page, alloc_write_free_real_memory)
{
	u64 before = kernel_pmm.free_pages;
	paddr_t pa[16];

	for (int i = 0; i < 16; i++) {
		pa[i] = page_alloc(i % 4);
		KT_ASSERT(t, pa[i] != 0);
		KT_EXPECT_EQ(t, pa[i] % (PAGE_SIZE << (i % 4)), 0);
		memset(phys_to_virt(pa[i]), i, PAGE_SIZE << (i % 4));
	}
	for (int i = 0; i < 16; i++) {
		const u8 *p = phys_to_virt(pa[i]);

		KT_EXPECT_EQ(t, p[0], i);
		KT_EXPECT_EQ(t, p[(PAGE_SIZE << (i % 4)) - 1], i);
		page_free(pa[i], i % 4);
	}
	KT_EXPECT_EQ(t, kernel_pmm.free_pages, before);
}

KTEST(page, zeroed_page)
{
	u8 *p = page_alloc_zeroed();
	int nonzero = 0;

	KT_ASSERT(t, p != NULL);
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		nonzero += p[i] != 0;
	KT_EXPECT_EQ(t, nonzero, 0);
	page_free(virt_to_phys(p), 0);
}
