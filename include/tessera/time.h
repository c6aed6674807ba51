/* Monotonic time since boot, from the calibrated cycle counter, and the
 * wall clock. */
#ifndef TESSERA_TIME_H
#define TESSERA_TIME_H

#include <tessera/types.h>

#define NSEC_PER_USEC 1000ull
#define NSEC_PER_MSEC 1000000ull
#define NSEC_PER_SEC 1000000000ull
#define TICK_HZ 100 /* scheduler tick */

/* Nanoseconds since time_init(); 0 before it. Never goes backwards. */
u64 time_ns(void);
void time_init(void);
/* UTC in nanoseconds since 1970 (kernel/walltime.c: the CMOS clock, then
 * its next second's edge); 0 when the machine has no valid clock. */
u64 walltime_ns(void);
/* Busy-wait (no sleeping): for early boot and drivers' short delays. */
void time_delay_us(u64 us);

#endif
