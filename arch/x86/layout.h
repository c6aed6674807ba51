/* Virtual memory layout of every monitor image; used by C and assembly. */
#ifndef ARCH_X86_LAYOUT_H
#define ARCH_X86_LAYOUT_H

#define KERNEL_VMA 0xFFFFFFFF80000000   /* kernel image: top 2 GiB */
#define KERNEL_PHYS 0x100000            /* loaded at 1 MiB */
#define DIRECT_MAP 0xFFFF800000000000   /* all RAM, phys + DIRECT_MAP */
#define IOMAP_BASE 0xFFFFC00000000000   /* device MMIO windows */
#define IOMAP_SIZE 0x0000004000000000   /* 256 GiB of windows */
#define BOOT_STACK_SIZE 0x4000
#define TRAMP_PHYS 0x8000               /* the APs' real-mode start (smp.c) */

#define PVH_MAGIC 0x336ec578
#define MB2_BOOTLOADER_MAGIC 0x36d76289

#endif
