/* The IDT, one for all CPUs: every vector points at its stub in entry.S.
 * Double faults run on their own stack (TSS IST1) so a kernel stack
 * overflow still gets a dump; NMIs on theirs (IST2), since one may arrive
 * at the syscall entry before the stack switch. */
#include "arch/x86/x86.h"

struct idt_gate {
	u16 off_lo, sel;
	u8 ist, type;
	u16 off_mid;
	u32 off_hi, reserved;
} __packed;
_Static_assert(sizeof(struct idt_gate) == 16, "x86-64 IDT gate layout");

extern char trap_stubs[];
static struct idt_gate idt[256];

static void idt_set(int vec, int ist, int dpl)
{
	u64 off = (u64)trap_stubs + 16 * vec;

	idt[vec].off_lo = off & 0xFFFF;
	idt[vec].sel = 0x08;
	idt[vec].ist = ist;
	idt[vec].type = 0x8E | (dpl << 5); /* present, interrupt gate */
	idt[vec].off_mid = (off >> 16) & 0xFFFF;
	idt[vec].off_hi = off >> 32;
	idt[vec].reserved = 0;
}

void idt_load(void)
{
	struct {
		u16 limit;
		u64 base;
	} __packed p = { sizeof(idt) - 1, (u64)idt };

	asm volatile("lidt %0" : : "m"(p));
}

void idt_init(void)
{
	for (int v = 0; v < 256; v++)
		idt_set(v, v == 8 ? 1 : v == VEC_NMI ? 2 : 0, v == 3 ? 3 : 0); /* int3: user's */
	idt_load();
}
