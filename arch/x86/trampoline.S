/*
 * The application processors' first instructions. arch/x86/smp.c copies
 * tramp_start..tramp_end to TRAMP_PHYS (below 1 MiB, which the page
 * allocator never hands out) and fills tramp_params; a STARTUP IPI with
 * vector TRAMP_PHYS >> 12 starts a CPU here in real mode at TRAMP_PHYS.
 * It enters protected mode on a small GDT of its own, loads tramp_cr3
 * (paging_ap_root: the kernel's tables plus an identity map of the first
 * 2 MiB, where this code runs), enables long mode and NX, and jumps to
 * tramp_entry(tramp_arg) on tramp_stack. Everything is addressed at its
 * copy: TR(label) is label's address there.
 */
#include "arch/x86/layout.h"

#define TR(x) (TRAMP_PHYS + (x) - tramp_start)

	.section .rodata, "a"
	.code16
	.globl tramp_start, tramp_end, tramp_params
tramp_start:
	cli
	cld
	xorw %ax, %ax
	movw %ax, %ds
	lgdtl TR(tramp_gdt_desc)
	movl %cr0, %eax
	orl $1, %eax			/* PE */
	movl %eax, %cr0
	ljmpl $0x08, $TR(tramp_32)

	.code32
tramp_32:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %cr4, %eax
	orl $0x20, %eax			/* PAE */
	movl %eax, %cr4
	movl TR(tramp_cr3), %eax
	movl %eax, %cr3
	movl $0xC0000080, %ecx		/* EFER */
	rdmsr
	orl $0x900, %eax		/* LME | NXE */
	wrmsr
	movl %cr0, %eax
	orl $0x80010000, %eax		/* PG | WP */
	movl %eax, %cr0
	ljmpl $0x18, $TR(tramp_64)

	.code64
tramp_64:
	movq TR(tramp_stack), %rsp
	movq TR(tramp_arg), %rdi
	movq TR(tramp_entry), %rax
	xorl %ebp, %ebp
	jmpq *%rax

	.balign 8
tramp_gdt:
	.quad 0
	.quad 0x00CF9A000000FFFF	/* 0x08: 32-bit code */
	.quad 0x00CF92000000FFFF	/* 0x10: data */
	.quad 0x00AF9A000000FFFF	/* 0x18: 64-bit code */
tramp_gdt_desc:
	.short tramp_gdt_desc - tramp_gdt - 1
	.long TR(tramp_gdt)

	.balign 8
tramp_params:				/* struct tramp_params (smp.c) */
tramp_cr3:	.quad 0
tramp_stack:	.quad 0
tramp_arg:	.quad 0
tramp_entry:	.quad 0
tramp_end:
	.text
