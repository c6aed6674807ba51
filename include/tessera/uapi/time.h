/* Linux x86-64 time types and clock ids (include/uapi/linux/time.h,
 * time_types.h). */
#ifndef TESSERA_UAPI_TIME_H
#define TESSERA_UAPI_TIME_H

#include <tessera/types.h>

struct timespec {
	s64 tv_sec;
	s64 tv_nsec;
};
_Static_assert(sizeof(struct timespec) == 16, "timespec is 16 bytes");
_Static_assert(offsetof(struct timespec, tv_nsec) == 8, "timespec.tv_nsec");

struct timeval {
	s64 tv_sec;
	s64 tv_usec;
};
_Static_assert(sizeof(struct timeval) == 16, "timeval is 16 bytes");

#define NSEC_PER_SEC 1000000000ll

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_REALTIME_ALARM 8
#define CLOCK_BOOTTIME_ALARM 9
#define CLOCK_TAI 11

#define TIMER_ABSTIME 1

#endif
