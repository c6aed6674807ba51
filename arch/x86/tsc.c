/* TSC calibration against the PIT (channel 2, gated through port 0x61),
 * which runs at a fixed 1.193182 MHz on every PC and in every emulator. */
#include <tessera/arch.h>
#include <tessera/printk.h>

#include "arch/x86/io.h"
#include "arch/x86/x86.h"

#define PIT_HZ 1193182u

static u64 tsc_hz;

/* TSC ticks during ms milliseconds of PIT time (ms <= 50). */
u64 pit_measure_tsc(u32 ms)
{
	u32 count = PIT_HZ * ms / 1000;
	u64 start;

	outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(0x43, 0xB0);                       /* ch2, lo/hi, mode 0 */
	outb(0x42, count & 0xFF);
	outb(0x42, count >> 8);
	start = rdtsc();
	while (!(inb(0x61) & 0x20))
		;
	return rdtsc() - start;
}

void tsc_calibrate(void)
{
	u64 best = ~0ull;

	for (int i = 0; i < 3; i++) {
		u64 t = pit_measure_tsc(10);

		best = t < best ? t : best;
	}
	tsc_hz = best * 100;
}

u64 arch_cycles(void)
{
	return rdtsc();
}

u64 arch_cycles_per_sec(void)
{
	return tsc_hz;
}
