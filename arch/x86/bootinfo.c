/*
 * Translate the boot loader's structures (PVH hvm_start_info or the
 * Multiboot2 information) into struct boot_info. Runs on the boot page
 * tables, where the first 1 GiB of physical memory is reachable through the
 * direct map; everything is copied out before the page allocator runs.
 */
#include <tessera/arch.h>
#include <tessera/boot.h>
#include <tessera/string.h>

#include "arch/x86/layout.h"
#include "arch/x86/x86.h"

struct boot_info boot_info;

struct pvh_start_info {
	u32 magic, version, flags, nr_modules;
	u64 modlist_paddr, cmdline_paddr, rsdp_paddr;
	u64 memmap_paddr;
	u32 memmap_entries, reserved;
};
_Static_assert(sizeof(struct pvh_start_info) == 56, "PVH start info ABI");

struct pvh_memmap_entry {
	u64 addr, size;
	u32 type, reserved;
};
_Static_assert(sizeof(struct pvh_memmap_entry) == 24, "PVH memmap ABI");

struct mb2_tag {
	u32 type, size;
};

struct mb2_mmap {
	struct mb2_tag tag;
	u32 entry_size, entry_version;
};

struct mb2_mmap_entry {
	u64 base, len;
	u32 type, reserved;
};
_Static_assert(sizeof(struct mb2_mmap_entry) == 24, "Multiboot2 mmap ABI");

#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_MMAP 6
#define MB2_TAG_ACPI_OLD 14 /* a copy of the RSDP follows the tag header */
#define MB2_TAG_ACPI_NEW 15

static u64 bootinfo_rsdp; /* where the loader put the RSDP (or its copy) */

static void bootinfo_add_range(u64 base, u64 len, u32 type)
{
	struct boot_mem_range *r;

	if (boot_info.nr_ranges == BOOT_MAX_RANGES || !len)
		return;
	r = &boot_info.ranges[boot_info.nr_ranges++];
	r->base = base;
	r->len = len;
	r->type = type == 1 ? BOOT_MEM_USABLE : BOOT_MEM_RESERVED;
}

static void bootinfo_cmdline(u64 pa)
{
	const char *s = phys_to_virt(pa);
	size_t n = 0;

	while (pa && s[n] && n < BOOT_CMDLINE_MAX - 1)
		n++;
	memcpy(boot_info.cmdline, s, n);
	boot_info.cmdline[n] = 0;
}

static void bootinfo_pvh(u64 pa)
{
	const struct pvh_start_info *si = phys_to_virt(pa);
	const struct pvh_memmap_entry *e;

	boot_info.loader = "pvh";
	bootinfo_rsdp = si->rsdp_paddr;
	if (si->cmdline_paddr)
		bootinfo_cmdline(si->cmdline_paddr);
	if (si->version < 1 || !si->memmap_paddr)
		return;
	e = phys_to_virt(si->memmap_paddr);
	for (u32 i = 0; i < si->memmap_entries; i++)
		bootinfo_add_range(e[i].addr, e[i].size, e[i].type);
}

static void bootinfo_mb2_mmap(const struct mb2_mmap *m)
{
	const u8 *p = (const u8 *)(m + 1), *end = (const u8 *)m + m->tag.size;

	for (; p + sizeof(struct mb2_mmap_entry) <= end; p += m->entry_size) {
		const struct mb2_mmap_entry *e = (const void *)p;

		bootinfo_add_range(e->base, e->len, e->type);
	}
}

static void bootinfo_mb2(u64 pa)
{
	const u8 *mbi = phys_to_virt(pa);
	u32 total = *(const u32 *)mbi;
	const struct mb2_tag *tag;

	boot_info.loader = "multiboot2";
	for (u32 off = 8; off + 8 <= total; off = ALIGN_UP(off + tag->size, 8)) {
		tag = (const void *)(mbi + off);
		if (tag->type == MB2_TAG_END)
			break;
		if (tag->type == MB2_TAG_CMDLINE)
			bootinfo_cmdline(pa + off + 8);
		else if (tag->type == MB2_TAG_MMAP)
			bootinfo_mb2_mmap((const void *)tag);
		else if (tag->type == MB2_TAG_ACPI_NEW ||
			 (tag->type == MB2_TAG_ACPI_OLD && !bootinfo_rsdp))
			bootinfo_rsdp = pa + off + 8;
	}
}

/* Returns false if the loader is not one we know. */
bool bootinfo_parse(u32 magic, u64 info_pa)
{
	extern char _kernel_phys_start[], _kernel_end[];

	boot_info.kernel_start = (paddr_t)_kernel_phys_start;
	boot_info.kernel_end = (paddr_t)_kernel_end - KERNEL_VMA;
	if (magic == PVH_MAGIC)
		bootinfo_pvh(info_pa);
	else if (magic == MB2_BOOTLOADER_MAGIC)
		bootinfo_mb2(info_pa);
	else
		return false;
	acpi_find_root(bootinfo_rsdp);
	return true;
}
