/* Monotonic clock from the cycle counter: ns = cycles * mult >> 32, with
 * mult fixed at calibration. Read-only after time_init(). */
#include <tessera/arch.h>
#include <tessera/time.h>

static u64 time_base; /* cycle count at time_init */
static u64 time_mult; /* ns per cycle, 32.32 fixed point */

void time_init(void)
{
	time_mult = (NSEC_PER_SEC << 32) / arch_cycles_per_sec();
	time_base = arch_cycles();
}

u64 time_ns(void)
{
	u64 d;

	if (!time_mult)
		return 0;
	d = arch_cycles() - time_base;
	return (u64)(((unsigned __int128)d * time_mult) >> 32);
}

void time_delay_us(u64 us)
{
	u64 end = time_ns() + us * NSEC_PER_USEC;

	while (time_ns() < end)
		arch_cpu_relax();
}
