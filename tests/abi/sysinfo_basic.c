/* sysinfo: total RAM positive and at least the free RAM, mem_unit >= 1,
 * uptime non-negative, at least one process, loads non-negative; a bad
 * pointer is EFAULT. uname: Linux on x86_64 with a release string. */
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>

#include "abi.h"

int main(int argc, char **argv)
{
	struct sysinfo si;
	struct utsname u;
	struct sysinfo *volatile bad = (struct sysinfo *)8;

	abi_init(argc, argv);
	memset(&si, 0, sizeof(si));
	SHOW(sysinfo(&si));
	say("totalram > 0: %d, >= freeram: %d, mem_unit >= 1: %d", si.totalram > 0,
	    si.totalram >= si.freeram, si.mem_unit >= 1);
	say("uptime >= 0: %d, procs >= 1: %d", (long long)si.uptime >= 0, si.procs >= 1);
	SHOW(sysinfo(bad));
	SHOW(uname(&u));
	say("sysname %s, machine %s, release set %d", u.sysname, u.machine, u.release[0] != 0);
	say("get_nprocs >= 1: %d", get_nprocs() >= 1);
	return 0;
}
