/*
 * x86-64 4-level page tables. paging_init() replaces the boot tables with
 * the kernel's own: the direct map of all RAM (2 MiB pages), the kernel image
 * at KERNEL_VMA, and an empty window for ioremap. Page-table pages come from
 * the page allocator and are reached through the direct map.
 * kspace_lock guards changes to the kernel space and the ioremap cursor.
 * A change that takes a right away (unmap, clearing write) is flushed from
 * every CPU that may hold the old entry before it returns (tlb.c).
 */
#include <tessera/arch.h>
#include <tessera/boot.h>
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/lock.h>
#include <tessera/mmu.h>
#include <tessera/pmm.h>
#include <tessera/printk.h>
#include <tessera/string.h>
#include <tessera/thread.h>

#include "arch/x86/io.h"
#include "arch/x86/layout.h"
#include "arch/x86/x86.h"

#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_U (1ull << 2)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_A (1ull << 5)
#define PTE_D (1ull << 6)
#define PTE_PS (1ull << 7)
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000FFFFFFFFFF000ull

struct mmu_space {
	u64 *pml4;
	paddr_t pml4_pa;
};

static struct mmu_space kspace;
/* The APs' first tables (paging_ap_root): the kernel half of kspace and
 * 2 MiB of low memory identity-mapped, executable, for the trampoline. */
static u64 ap_pml4[512] __attribute__((aligned(4096)));
static u64 ap_pdpt[512] __attribute__((aligned(4096)));
static u64 ap_pd[512] __attribute__((aligned(4096)));
static struct spinlock kspace_lock = SPINLOCK_INIT("kspace", LOCK_RANK_KSPACE);
static u64 iomap_next = IOMAP_BASE;

void *phys_to_virt(paddr_t pa)
{
	return (void *)(pa + DIRECT_MAP);
}

paddr_t virt_to_phys(const void *va)
{
	u64 v = (u64)va;

	if (v >= KERNEL_VMA)
		return v - KERNEL_VMA;
	return v - DIRECT_MAP;
}

struct mmu_space *mmu_kernel(void)
{
	return &kspace;
}

static u64 *pt_table(u64 e)
{
	return phys_to_virt(e & PTE_ADDR);
}

/* The entry for va at the given level (3 = PML4 .. 0 = PT), allocating
 * intermediate tables when alloc is set; NULL if absent or out of memory. */
static u64 *pt_walk(struct mmu_space *s, u64 va, int level, bool alloc, u64 upper)
{
	u64 *table = s->pml4;

	for (int l = 3; l > level; l--) {
		u64 *e = &table[(va >> (12 + 9 * l)) & 511];

		if (!(*e & PTE_P)) {
			void *page;

			if (!alloc || !(page = page_alloc_zeroed()))
				return NULL;
			*e = virt_to_phys(page) | PTE_P | PTE_W | upper;
		} else if (*e & PTE_PS) {
			return NULL;
		}
		table = pt_table(*e);
	}
	return &table[(va >> (12 + 9 * level)) & 511];
}

static u64 pte_flags(u32 flags)
{
	u64 f = PTE_P;

	if (flags & MMU_WRITE)
		f |= PTE_W;
	if (flags & MMU_USER)
		f |= PTE_U;
	if (!(flags & MMU_EXEC))
		f |= PTE_NX;
	if (flags & MMU_UNCACHED)
		f |= PTE_PCD | PTE_PWT;
	return f;
}

int mmu_map(struct mmu_space *s, u64 va, paddr_t pa, u32 flags)
{
	u64 *e;

	if ((va | pa) & (PAGE_SIZE - 1))
		return -EINVAL;
	e = pt_walk(s, va, 0, true, (flags & MMU_USER) ? PTE_U : 0);
	if (!e)
		return -ENOMEM;
	if (*e & PTE_P)
		return -EEXIST;
	*e = pa | pte_flags(flags);
	return 0;
}

/* Flush va of s here and on every other CPU that may hold it; true if
 * another CPU did. */
static bool mmu_flush(struct mmu_space *s, u64 va)
{
	invlpg((void *)va);
	return tlb_flush_others(s == &kspace ? 0 : s->pml4_pa, va, 1);
}

int mmu_unmap(struct mmu_space *s, u64 va)
{
	u64 *e = pt_walk(s, va, 0, false, 0);

	if (!e || !(*e & PTE_P))
		return -ENOENT;
	*e = 0;
	mmu_flush(s, va);
	return 0;
}

static u32 pte_to_flags(u64 v);

/* The leaf entry mapping va (a 4 KiB PTE or a large-page entry) and the
 * size it maps; NULL if nothing maps va. */
static u64 *pt_leaf(struct mmu_space *s, u64 va, u64 *size)
{
	u64 *table = s->pml4;

	for (int l = 3; l >= 0; l--) {
		u64 *e = &table[(va >> (12 + 9 * l)) & 511];

		if (!(*e & PTE_P))
			return NULL;
		if (l == 0 || (*e & PTE_PS)) {
			*size = 1ull << (12 + 9 * l);
			return e;
		}
		table = pt_table(*e);
	}
	return NULL;
}

int mmu_lookup(struct mmu_space *s, u64 va, paddr_t *pa, u32 *flags)
{
	u64 size, v, *e = pt_leaf(s, va, &size);

	if (!e)
		return -ENOENT;
	v = *e;
	*pa = (v & PTE_ADDR & ~(size - 1)) | (va & (size - 1));
	*flags = pte_to_flags(v);
	return 0;
}

static u32 pte_to_flags(u64 v)
{
	return MMU_READ | (v & PTE_W ? MMU_WRITE : 0) | (v & PTE_U ? MMU_USER : 0) |
	       (v & PTE_NX ? 0 : MMU_EXEC) | (v & PTE_D ? MMU_DIRTY : 0) |
	       (v & PTE_A ? MMU_ACCESSED : 0) | (v & PTE_PCD ? MMU_UNCACHED : 0);
}

/* The PTE bits of the MMU_WRITE, MMU_DIRTY and MMU_ACCESSED in bits. */
static u64 pte_change_bits(u32 bits)
{
	return (bits & MMU_WRITE ? PTE_W : 0) | (bits & MMU_DIRTY ? PTE_D : 0) |
	       (bits & MMU_ACCESSED ? PTE_A : 0);
}

int mmu_clear_flags(struct mmu_space *s, u64 va, u32 bits, u32 *old)
{
	u64 *e = pt_walk(s, va, 0, false, 0), v;

	if (!e || !(*e & PTE_P))
		return -ENOENT;
	v = __atomic_fetch_and(e, ~pte_change_bits(bits), __ATOMIC_SEQ_CST);
	if (bits == MMU_ACCESSED)
		invlpg((void *)va); /* a stale accessed bit only ages the page less */
	else if (mmu_flush(s, va) && (bits & MMU_DIRTY))
		/* another CPU may have written through its old entry until its
		 * flush: take the dirty bit again */
		v |= __atomic_fetch_and(e, ~PTE_D, __ATOMIC_SEQ_CST) & PTE_D;
	*old = pte_to_flags(v);
	return 0;
}

int mmu_set_flags(struct mmu_space *s, u64 va, u32 bits)
{
	u64 *e = pt_walk(s, va, 0, false, 0);

	if (!e || !(*e & PTE_P))
		return -ENOENT;
	__atomic_fetch_or(e, pte_change_bits(bits), __ATOMIC_SEQ_CST);
	mmu_flush(s, va); /* no CPU keeps a read-only entry for a writable page */
	return 0;
}

/* Map [va, va+len) to [pa, ...) with 2 MiB pages (both 2 MiB aligned). */
static void paging_map_large(u64 va, paddr_t pa, u64 len, u64 flags)
{
	for (u64 off = 0; off < len; off += 2 * MiB) {
		u64 *e = pt_walk(&kspace, va + off, 1, true, 0);

		if (!e)
			panic("out of memory building the kernel page tables");
		*e = (pa + off) | PTE_P | PTE_PS | flags;
	}
}

static u64 paging_ram_end(void)
{
	u64 end = 4 * GiB; /* the direct map also covers low MMIO */

	for (int i = 0; i < boot_info.nr_ranges; i++) {
		const struct boot_mem_range *r = &boot_info.ranges[i];

		if (r->type == BOOT_MEM_USABLE)
			end = MAX(end, r->base + r->len);
	}
	return ALIGN_UP(end, 2 * MiB);
}

void paging_init(void)
{
	u64 kend = ALIGN_UP(boot_info.kernel_end, 2 * MiB);

	kspace.pml4 = page_alloc_zeroed();
	if (!kspace.pml4)
		panic("no memory for the kernel page tables");
	kspace.pml4_pa = virt_to_phys(kspace.pml4);
	paging_map_large(DIRECT_MAP, 0, paging_ram_end(), PTE_W | PTE_NX);
	paging_map_large(KERNEL_VMA, 0, kend, PTE_W);
	/* the ioremap window's top-level entry exists before any space copies it */
	if (!pt_walk(&kspace, IOMAP_BASE, 2, true, 0))
		panic("no memory for the ioremap window");
	x86_set_cr3(kspace.pml4_pa);
}

u64 paging_kernel_root(void)
{
	return kspace.pml4_pa;
}

u64 paging_ap_root(void)
{
	memcpy(ap_pml4 + 256, kspace.pml4 + 256, 256 * sizeof(u64));
	ap_pd[0] = PTE_P | PTE_W | PTE_PS;
	ap_pdpt[0] = virt_to_phys(ap_pd) | PTE_P | PTE_W;
	ap_pml4[0] = virt_to_phys(ap_pdpt) | PTE_P | PTE_W;
	return virt_to_phys(ap_pml4);
}

void *arch_ioremap(paddr_t pa, size_t size)
{
	u64 off = pa & (PAGE_SIZE - 1), va;

	size = ALIGN_UP(size + off, PAGE_SIZE);
	spin_lock(&kspace_lock);
	if (iomap_next + size > IOMAP_BASE + IOMAP_SIZE) {
		spin_unlock(&kspace_lock);
		return NULL;
	}
	va = iomap_next;
	iomap_next += size + PAGE_SIZE; /* unmapped guard page between windows */
	for (u64 o = 0; o < size; o += PAGE_SIZE)
		if (mmu_map(&kspace, va + o, pa - off + o, MMU_READ | MMU_WRITE | MMU_UNCACHED)) {
			spin_unlock(&kspace_lock);
			return NULL;
		}
	spin_unlock(&kspace_lock);
	return (void *)(va + off);
}

struct mmu_space *mmu_space_create(void)
{
	struct mmu_space *s = kmalloc(sizeof(*s));

	if (!s)
		return NULL;
	s->pml4 = page_alloc_zeroed();
	if (!s->pml4) {
		kfree(s);
		return NULL;
	}
	memcpy(s->pml4 + 256, kspace.pml4 + 256, 256 * sizeof(u64));
	s->pml4_pa = virt_to_phys(s->pml4);
	return s;
}

static void pt_free_level(u64 *table, int level)
{
	for (int i = 0; i < 512; i++)
		if ((table[i] & PTE_P) && !(table[i] & PTE_PS) && level > 1)
			pt_free_level(pt_table(table[i]), level - 1);
		else if ((table[i] & PTE_P) && level == 1 && !(table[i] & PTE_PS))
			page_free(table[i] & PTE_ADDR, 0);
	page_free(virt_to_phys(table), 0);
}

/* Frees the page-table pages of the user half, not the pages they map. */
void mmu_space_destroy(struct mmu_space *s)
{
	if (read_cr3() == s->pml4_pa)
		mmu_space_activate(&kspace);
	tlb_drop_root(s->pml4_pa);
	for (int i = 0; i < 256; i++)
		if (s->pml4[i] & PTE_P)
			pt_free_level(pt_table(s->pml4[i]), 2);
	page_free(s->pml4_pa, 0);
	kfree(s);
}

/* Load s and make it the current thread's: switches back to the thread
 * reload it. The kernel space means "no user space". */
void mmu_space_activate(struct mmu_space *s)
{
	thread_current()->ctx.space = s == &kspace ? 0 : s->pml4_pa;
	x86_set_cr3(s->pml4_pa);
}
