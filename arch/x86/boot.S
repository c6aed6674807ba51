/*
 * First instructions: both boot paths arrive here in 32-bit protected mode
 * with paging off.
 *   PVH (QEMU -kernel):  ebx = physical address of struct hvm_start_info
 *   Multiboot2 (GRUB):   eax = 0x36d76289, ebx = physical address of the MBI
 * We build boot page tables that map the first 1 GiB three times (identity,
 * direct map, kernel image at -2 GiB), enter long mode, jump to the higher
 * half and call arch_boot(magic, info_phys). This code runs at its physical
 * address: it lives in .boot, linked at VMA == LMA.
 */
#include "arch/x86/layout.h"

#define MB2_MAGIC 0xE85250D6

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long 0				/* i386 */
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + (mb2_header_end - mb2_header))
	.balign 8
	.short 3, 0			/* entry address tag */
	.long 12
	.long mb2_entry
	.balign 8
	.short 0, 0			/* end tag */
	.long 8
mb2_header_end:

	.section .note.Xen, "a"
	.balign 4
	.long 4				/* name size */
	.long 4				/* desc size */
	.long 18			/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.long pvh_entry

	.section .boot.text, "ax"
	.code32
	.globl pvh_entry
pvh_entry:
	mov $PVH_MAGIC, %eax
mb2_entry:
	cli
	cld
	mov %eax, %edi			/* magic: first argument */
	mov %ebx, %esi			/* info: second argument */
	mov $boot_stack_top - KERNEL_VMA, %esp

	/* pd: 512 x 2 MiB pages covering the first 1 GiB */
	mov $boot_pd, %ebx
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $0x83, %eax			/* present, writable, 2 MiB */
	mov %eax, (%ebx, %ecx, 8)
	movl $0, 4(%ebx, %ecx, 8)
	inc %ecx
	cmp $512, %ecx
	jne 1b

	mov $boot_pd + 3, %eax
	mov %eax, boot_pdpt_lo		/* pdpt_lo[0]   -> pd: 0 .. 1 GiB */
	mov %eax, boot_pdpt_hi + 510 * 8 /* pdpt_hi[510] -> pd: -2 GiB */
	mov $boot_pdpt_lo + 3, %eax
	mov %eax, boot_pml4		/* identity */
	mov %eax, boot_pml4 + 256 * 8	/* direct map */
	mov $boot_pdpt_hi + 3, %eax
	mov %eax, boot_pml4 + 511 * 8	/* kernel image */

	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov %cr4, %eax
	or $0x20, %eax			/* PAE */
	mov %eax, %cr4
	mov $0xC0000080, %ecx		/* EFER */
	rdmsr
	or $0x900, %eax			/* LME | NXE */
	wrmsr
	mov %cr0, %eax
	or $0x80010001, %eax		/* PG | WP | PE */
	mov %eax, %cr0
	lgdt boot_gdt_desc
	ljmp $0x08, $boot_long

	.code64
boot_long:
	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs
	movabs $boot_high, %rax
	jmp *%rax

	.section .boot.data, "aw"
	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00AF9A000000FFFF	/* 0x08: 64-bit code */
	.quad 0x00CF92000000FFFF	/* 0x10: data */
boot_gdt_desc:
	.short boot_gdt_desc - boot_gdt - 1
	.long boot_gdt

	.section .boot.bss, "aw", @nobits
	.balign 4096
boot_pml4:	.skip 4096
boot_pdpt_lo:	.skip 4096
boot_pdpt_hi:	.skip 4096
boot_pd:	.skip 4096

	.text
boot_high:
	movabs $boot_stack_top, %rsp
	xor %ebp, %ebp
	call arch_boot
2:	cli
	hlt
	jmp 2b

	.bss
	.balign 16
	.globl boot_stack
boot_stack:
	.skip BOOT_STACK_SIZE
boot_stack_top:
