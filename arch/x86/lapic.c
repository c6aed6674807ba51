/* Local APIC in xAPIC (MMIO) mode: the periodic scheduler tick, EOI,
 * inter-processor interrupts and the MSI target. The 8259 PICs are
 * masked: every interrupt comes through here. Every CPU's APIC sits at
 * the same physical address; lapic and lapic_timer_count are written once
 * by the boot CPU before the others start. */
#include <tessera/arch.h>
#include <tessera/printk.h>
#include <tessera/time.h>

#include "arch/x86/io.h"
#include "arch/x86/x86.h"

#define LAPIC_PHYS 0xFEE00000
#define LAPIC_ID 0x020
#define LAPIC_EOI 0x0B0
#define LAPIC_SVR 0x0F0
#define LAPIC_ICR_LO 0x300
#define LAPIC_ICR_HI 0x310
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3E0
#define ICR_BUSY (1u << 12)
#define ICR_NMI (4u << 8)
#define ICR_ALL_BUT_SELF (3u << 18)

static volatile u32 *lapic;
static u32 lapic_timer_count; /* initial count for the tick, 0 = not measured */

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

/* The boot CPU: mask the PICs, map the APIC, enable its own. */
void lapic_init(void)
{
	pic_disable();
	lapic = arch_ioremap(LAPIC_PHYS, 4096);
	if (!lapic)
		panic("cannot map the local APIC");
	lapic_cpu_init();
}

/* Enable the running CPU's APIC. */
void lapic_cpu_init(void)
{
	wrmsr(0x1B, rdmsr(0x1B) | (1 << 11)); /* APIC global enable */
	lapic_write(LAPIC_SVR, 0x100 | VEC_SPURIOUS);
}

u32 lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

static void lapic_icr(u32 hi, u32 lo)
{
	unsigned long flags = arch_irq_save(); /* the two writes are one command */

	lapic_write(LAPIC_ICR_HI, hi);
	lapic_write(LAPIC_ICR_LO, lo);
	while (lapic_read(LAPIC_ICR_LO) & ICR_BUSY)
		arch_cpu_relax();
	arch_irq_restore(flags);
}

/* Send an IPI: icr is the low ICR word (vector, delivery mode, level). */
void lapic_send_ipi(u32 apic_id, u32 icr)
{
	lapic_icr(apic_id << 24, icr);
}

void lapic_send_nmi_others(void)
{
	lapic_icr(0, ICR_ALL_BUT_SELF | ICR_NMI);
}

/* Count of APIC timer ticks in 10 ms, against the TSC. */
static u32 lapic_timer_measure(void)
{
	u64 t0, cycles, start = 0xFFFFFFFF;

	lapic_write(LAPIC_TIMER_INIT, start);
	t0 = arch_cycles();
	cycles = arch_cycles_per_sec() / 100; /* 10 ms */
	while (arch_cycles() - t0 < cycles)
		;
	return start - lapic_read(LAPIC_TIMER_CUR);
}

/* Periodic timer at hz on the running CPU. The boot CPU calibrates it;
 * the others reuse its count (their APIC timers share one clock). */
void lapic_timer_start(u32 hz)
{
	lapic_write(LAPIC_TIMER_DIV, 0x3); /* divide by 16 */
	lapic_write(LAPIC_LVT_TIMER, 1 << 16); /* masked, one-shot */
	if (!lapic_timer_count)
		lapic_timer_count = (u32)((u64)lapic_timer_measure() * 100 / hz);
	lapic_write(LAPIC_TIMER_INIT, 0);
	lapic_write(LAPIC_LVT_TIMER, VEC_TIMER | (1 << 17)); /* periodic */
	lapic_write(LAPIC_TIMER_INIT, lapic_timer_count);
}

/* Device interrupts all go to the boot CPU. */
void arch_msi_message(int vector, u64 *addr, u32 *data)
{
	*addr = LAPIC_PHYS | ((u64)x86_cpus[0].apic_id << 12);
	*data = vector; /* fixed delivery, edge */
}
