/* The simulated platform of host tests: a clock that only moves when told
 * and a seeded random source. Single-threaded: locks are no-ops, waits
 * return at once, threads cannot be started. */
#ifndef NET_PLAT_PLAT_SIM_H
#define NET_PLAT_PLAT_SIM_H

#include <tessera/types.h>

void plat_sim_set_time(u64 ns);
void plat_sim_seed(u64 seed);
/* 0..n-1 from a generator independent of netplat_random. */
u32 plat_sim_rand_below(u32 n);

#endif
