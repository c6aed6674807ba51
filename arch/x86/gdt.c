/* Each CPU's GDT (kernel and user segments) and TSS, with interrupt stacks
 * for double faults (IST1) and NMIs (IST2), all in its x86_percpu.
 * Selector values are part of the syscall/sysret contract. */
#include <tessera/string.h>

#include "arch/x86/x86.h"

enum { SEL_TSS = 0x28 };

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

static void gdt_set_tss(struct x86_percpu *pc)
{
	u64 base = (u64)&pc->tss, limit = sizeof(pc->tss) - 1;

	pc->gdt[5] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (0x89ull << 40) |
		     ((limit >> 16) & 0xF) << 48 | ((base >> 24) & 0xFF) << 56;
	pc->gdt[6] = base >> 32;
}

/* The running CPU's TSS: the stack an interrupt from user mode lands on. */
void tss_set_rsp0(u64 rsp0)
{
	x86_this_cpu()->tss.rsp[0] = rsp0;
}

/* Load pc's GDT and TSS on the running CPU (pc is the running CPU's). */
void gdt_init(struct x86_percpu *pc)
{
	struct desc_ptr p = { sizeof(pc->gdt) - 1, (u64)pc->gdt };

	pc->gdt[0] = 0;
	pc->gdt[1] = 0x00AF9A000000FFFF; /* kernel code */
	pc->gdt[2] = 0x00CF92000000FFFF; /* kernel data */
	pc->gdt[3] = 0x00CFF2000000FFFF; /* user data (sysret order) */
	pc->gdt[4] = 0x00AFFA000000FFFF; /* user code */
	memset(&pc->tss, 0, sizeof(pc->tss));
	pc->tss.ist[0] = (u64)(pc->df_stack + sizeof(pc->df_stack));
	pc->tss.ist[1] = (u64)(pc->nmi_stack + sizeof(pc->nmi_stack));
	pc->tss.iomap_base = sizeof(pc->tss);
	gdt_set_tss(pc);
	asm volatile("lgdt %0" : : "m"(p));
	asm volatile("pushq %0; leaq 1f(%%rip), %%rax; pushq %%rax; lretq; 1:"
		     : : "i"(SEL_KCODE) : "rax", "memory");
	asm volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%ss"
		     : : "r"(SEL_KDATA));
	asm volatile("ltr %w0" : : "r"(SEL_TSS));
}
