/* Local APIC in xAPIC (MMIO) mode: the periodic scheduler tick, EOI and the
 * MSI target. The 8259 PICs are masked: every interrupt comes through here. */
#include <tessera/arch.h>
#include <tessera/printk.h>
#include <tessera/time.h>

#include "arch/x86/io.h"
#include "arch/x86/x86.h"

#define LAPIC_PHYS 0xFEE00000
#define LAPIC_ID 0x020
#define LAPIC_EOI 0x0B0
#define LAPIC_SVR 0x0F0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3E0

static volatile u32 *lapic;

static u32 lapic_read(u32 reg)
{
	return lapic[reg / 4];
}

static void lapic_write(u32 reg, u32 v)
{
	lapic[reg / 4] = v;
}

static void pic_disable(void)
{
	outb(0x21, 0xFF);
	outb(0xA1, 0xFF);
}

void lapic_init(void)
{
	pic_disable();
	wrmsr(0x1B, rdmsr(0x1B) | (1 << 11)); /* APIC global enable */
	lapic = arch_ioremap(LAPIC_PHYS, 4096);
	if (!lapic)
		panic("cannot map the local APIC");
	lapic_write(LAPIC_SVR, 0x100 | VEC_SPURIOUS);
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

/* Periodic timer at hz, calibrated against the TSC. */
void lapic_timer_start(u32 hz)
{
	u64 t0, cycles, start = 0xFFFFFFFF;
	u32 ticks;

	lapic_write(LAPIC_TIMER_DIV, 0x3); /* divide by 16 */
	lapic_write(LAPIC_LVT_TIMER, 1 << 16); /* masked, one-shot */
	lapic_write(LAPIC_TIMER_INIT, start);
	t0 = arch_cycles();
	cycles = arch_cycles_per_sec() / 100; /* 10 ms */
	while (arch_cycles() - t0 < cycles)
		;
	ticks = start - lapic_read(LAPIC_TIMER_CUR);
	lapic_write(LAPIC_TIMER_INIT, 0);
	lapic_write(LAPIC_LVT_TIMER, VEC_TIMER | (1 << 17)); /* periodic */
	lapic_write(LAPIC_TIMER_INIT, (u32)((u64)ticks * 100 / hz));
}

void arch_msi_message(int vector, u64 *addr, u32 *data)
{
	*addr = LAPIC_PHYS | ((u64)(lapic_read(LAPIC_ID) >> 24) << 12);
	*data = vector; /* fixed delivery, edge */
}
