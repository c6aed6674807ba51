/* Page-table map/unmap/lookup through the arch-neutral interface. */
#include <tessera/arch.h>
#include <tessera/errno.h>
#include <tessera/ktest.h>
#include <tessera/mmu.h>
#include <tessera/pmm.h>

#define TEST_VA 0xFFFFB00000000000ull /* unused kernel-half address */

KTEST(mmu, map_access_unmap)
{
	struct mmu_space *k = mmu_kernel();
	u8 *page = page_alloc_zeroed();
	volatile u64 *va = (volatile u64 *)TEST_VA;
	paddr_t pa;
	u32 flags;

	KT_ASSERT(t, page != NULL);
	KT_EXPECT_EQ(t, mmu_lookup(k, TEST_VA, &pa, &flags), -ENOENT);
	KT_ASSERT(t, mmu_map(k, TEST_VA, virt_to_phys(page), MMU_READ | MMU_WRITE) == 0);
	KT_EXPECT_EQ(t, mmu_map(k, TEST_VA, virt_to_phys(page), MMU_READ), -EEXIST);
	*va = 0x1122334455667788ull; /* through the new mapping */
	KT_EXPECT_EQ(t, *(u64 *)page, 0x1122334455667788ull);
	KT_ASSERT(t, mmu_lookup(k, TEST_VA + 8, &pa, &flags) == 0);
	KT_EXPECT_EQ(t, pa, virt_to_phys(page) + 8);
	KT_EXPECT(t, (flags & MMU_WRITE) && (flags & MMU_DIRTY) && !(flags & MMU_EXEC));
	KT_EXPECT_EQ(t, mmu_clear_flags(k, TEST_VA, MMU_DIRTY | MMU_ACCESSED, &flags), 0);
	KT_EXPECT(t, (flags & MMU_DIRTY) && (flags & MMU_ACCESSED));
	KT_ASSERT(t, mmu_lookup(k, TEST_VA, &pa, &flags) == 0);
	KT_EXPECT(t, !(flags & MMU_DIRTY) && !(flags & MMU_ACCESSED));
	(void)*va; /* a read sets accessed again, not dirty */
	KT_ASSERT(t, mmu_lookup(k, TEST_VA, &pa, &flags) == 0);
	KT_EXPECT(t, !(flags & MMU_DIRTY) && (flags & MMU_ACCESSED));
	*va = 1; /* dirty again, then write-protect and take the dirty bit */
	KT_EXPECT_EQ(t, mmu_clear_flags(k, TEST_VA, MMU_WRITE | MMU_DIRTY, &flags), 0);
	KT_EXPECT(t, (flags & MMU_WRITE) && (flags & MMU_DIRTY));
	KT_ASSERT(t, mmu_lookup(k, TEST_VA, &pa, &flags) == 0);
	KT_EXPECT(t, !(flags & MMU_WRITE) && !(flags & MMU_DIRTY));
	KT_EXPECT_EQ(t, mmu_set_flags(k, TEST_VA, MMU_WRITE | MMU_DIRTY), 0);
	KT_ASSERT(t, mmu_lookup(k, TEST_VA, &pa, &flags) == 0);
	KT_EXPECT(t, (flags & MMU_WRITE) && (flags & MMU_DIRTY));
	KT_EXPECT_EQ(t, mmu_unmap(k, TEST_VA), 0);
	KT_EXPECT_EQ(t, mmu_set_flags(k, TEST_VA, MMU_WRITE), -ENOENT);
	KT_EXPECT_EQ(t, mmu_unmap(k, TEST_VA), -ENOENT);
	KT_EXPECT_EQ(t, mmu_lookup(k, TEST_VA, &pa, &flags), -ENOENT);
	KT_EXPECT_EQ(t, mmu_map(k, TEST_VA + 1, 0, MMU_READ), -EINVAL);
	page_free(virt_to_phys(page), 0);
}

KTEST(mmu, user_space_shares_kernel_half)
{
	struct mmu_space *s = mmu_space_create();
	paddr_t pa, kpa;
	u32 flags;
	u8 *page = page_alloc_zeroed();

	KT_ASSERT(t, s != NULL && page != NULL);
	KT_EXPECT_EQ(t, mmu_map(s, 0x400000, virt_to_phys(page), MMU_READ | MMU_USER), 0);
	KT_EXPECT_EQ(t, mmu_lookup(s, 0x400000, &pa, &flags), 0);
	KT_EXPECT(t, flags & MMU_USER);
	KT_EXPECT_EQ(t, mmu_lookup(mmu_kernel(), 0x400000, &kpa, &flags), -ENOENT);
	/* the kernel image is visible in the new space */
	KT_EXPECT_EQ(t, mmu_lookup(s, (u64)&mmu_space_create, &pa, &flags), 0);
	mmu_space_destroy(s);
	page_free(virt_to_phys(page), 0);
}
