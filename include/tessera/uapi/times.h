/* Linux's struct itimerval, struct tms and struct sysinfo (x86-64), and
 * the interval timer and getrusage selectors. */
#ifndef TESSERA_UAPI_TIMES_H
#define TESSERA_UAPI_TIMES_H

#include <tessera/types.h>
#include <tessera/uapi/time.h>

#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF 2

struct itimerval {
	struct timeval it_interval;
	struct timeval it_value;
};
_Static_assert(sizeof(struct itimerval) == 32, "itimerval is 32 bytes");

struct tms {
	s64 tms_utime, tms_stime, tms_cutime, tms_cstime; /* clock ticks */
};
_Static_assert(sizeof(struct tms) == 32, "tms is 32 bytes");

#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1

struct sysinfo {
	s64 uptime;       /* seconds since boot */
	u64 loads[3];     /* 1, 5, 15 minute load averages << 16 */
	u64 totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	u16 procs;
	u16 pad;
	u32 pad2;
	u64 totalhigh, freehigh;
	u32 mem_unit;     /* bytes per unit of the sizes above */
	u8 reserved[4];
};
_Static_assert(sizeof(struct sysinfo) == 112, "sysinfo is 112 bytes");

#endif
