/* The GDT (kernel and user segments) and the TSS with an interrupt stack for
 * double faults. Selector values are part of the syscall/sysret contract. */
#include <tessera/string.h>

#include "arch/x86/x86.h"

struct tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3, iomap_base;
} __packed;
_Static_assert(sizeof(struct tss) == 104, "x86-64 TSS layout");

enum { SEL_TSS = 0x28 };

static u64 gdt[7];
static struct tss tss;
static u8 df_stack[4096] __attribute__((aligned(16)));

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

static void gdt_set_tss(void)
{
	u64 base = (u64)&tss, limit = sizeof(tss) - 1;

	gdt[5] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (0x89ull << 40) |
		 ((limit >> 16) & 0xF) << 48 | ((base >> 24) & 0xFF) << 56;
	gdt[6] = base >> 32;
}

void tss_set_rsp0(u64 rsp0)
{
	tss.rsp[0] = rsp0;
}

void gdt_init(void)
{
	struct desc_ptr p = { sizeof(gdt) - 1, (u64)gdt };

	gdt[1] = 0x00AF9A000000FFFF; /* kernel code */
	gdt[2] = 0x00CF92000000FFFF; /* kernel data */
	gdt[3] = 0x00CFF2000000FFFF; /* user data (sysret order) */
	gdt[4] = 0x00AFFA000000FFFF; /* user code */
	memset(&tss, 0, sizeof(tss));
	tss.ist[0] = (u64)(df_stack + sizeof(df_stack));
	tss.iomap_base = sizeof(tss);
	gdt_set_tss();
	asm volatile("lgdt %0" : : "m"(p));
	asm volatile("pushq %0; leaq 1f(%%rip), %%rax; pushq %%rax; lretq; 1:"
		     : : "i"(SEL_KCODE) : "rax", "memory");
	asm volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%ss"
		     : : "r"(SEL_KDATA));
	asm volatile("ltr %w0" : : "r"(SEL_TSS));
}
