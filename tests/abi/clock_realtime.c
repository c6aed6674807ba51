/* The wall clock: CLOCK_REALTIME, gettimeofday and time agree within a
 * second and are within 3 s of the launcher's clock when it started the
 * program (argv[1], seconds; tests/abi/RUN passes it); the year is after
 * 2024; gettimeofday's timezone argument may be NULL. Only coarse,
 * deterministic facts are printed. */
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

#include "abi.h"

int main(int argc, char **argv)
{
	struct timespec ts;
	struct timeval tv;
	long long launcher = argc > 1 ? atoll(argv[1]) : 0;
	time_t t;
	struct tm tm;

	abi_init(argc, argv);
	clock_gettime(CLOCK_REALTIME, &ts);
	gettimeofday(&tv, NULL);
	t = time(NULL);
	say("clock_gettime and gettimeofday agree: %d", llabs((long long)ts.tv_sec - tv.tv_sec) <= 1);
	say("time agrees: %d", llabs((long long)t - ts.tv_sec) <= 1);
	say("usec in range: %d", tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	say("within 3 s of the launcher: %d", llabs((long long)ts.tv_sec - launcher) <= 3);
	gmtime_r(&t, &tm);
	say("year after 2024: %d", tm.tm_year + 1900 > 2024);
	return 0;
}
