/* sched_getaffinity gives a non-empty mask that includes a CPU the
 * process may run on (the raw call returns the kernel's mask size, a
 * multiple of 8); a buffer smaller than that is EINVAL; setting the same
 * mask works; sched_yield returns 0; sched_getscheduler is SCHED_OTHER;
 * getpriority is 0 for the process; an unknown pid is ESRCH. */
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	cpu_set_t set;
	unsigned long one = 0;
	long r;

	abi_init(argc, argv);
	CPU_ZERO(&set);
	SHOW(sched_getaffinity(0, sizeof(set), &set));
	say("cpus >= 1: %d", CPU_COUNT(&set) >= 1);
	r = syscall(SYS_sched_getaffinity, 0, sizeof(set), &set);
	say("raw returns a multiple of 8: %d", r > 0 && r % 8 == 0);
	SHOW(syscall(SYS_sched_getaffinity, 0, 1, &one));
	SHOW(sched_setaffinity(0, sizeof(set), &set));
	SHOW(sched_yield());
	SHOW(sched_getscheduler(0));
	errno = 0;
	SHOW(getpriority(PRIO_PROCESS, 0));
	SHOW(sched_getaffinity(99999999, sizeof(set), &set));
	return 0;
}
