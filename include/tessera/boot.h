/* What the boot loader told us, in one form for both boot paths (PVH and
 * Multiboot2). Filled by arch code before anything else runs; read-only
 * afterwards. */
#ifndef TESSERA_BOOT_H
#define TESSERA_BOOT_H

#include <tessera/types.h>

#define BOOT_MAX_RANGES 64
#define BOOT_CMDLINE_MAX 1024

enum boot_mem_type { BOOT_MEM_USABLE = 1, BOOT_MEM_RESERVED = 2 };

struct boot_mem_range {
	u64 base;
	u64 len;
	u32 type;
};

struct boot_info {
	const char *loader; /* "pvh" or "multiboot2" */
	char cmdline[BOOT_CMDLINE_MAX];
	int nr_ranges;
	struct boot_mem_range ranges[BOOT_MAX_RANGES];
	paddr_t kernel_start, kernel_end; /* physical extent of the image */
};

extern struct boot_info boot_info;

/* Page allocator bring-up, called by arch code: memory below 1 GiB first
 * (all the boot page tables reach), the rest once the direct map is built. */
void page_init_low(void);
void page_add_high_memory(void);

/* The portable kernel's entry, called by arch code once the CPU is set up. */
__noreturn void kernel_main(void);

#endif
