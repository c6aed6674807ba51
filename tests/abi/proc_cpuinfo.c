/* /proc/cpuinfo: one block per CPU, each starting "processor\t: N" with
 * N counting from 0, keys "vendor_id", "model name", "flags" (with
 * "fpu" among them), blocks separated by blank lines. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "abi.h"

static char buf[1 << 17];

int main(int argc, char **argv)
{
	int fd, cpus = 0, in_order = 1, vendor = 0, model = 0, flags = 0, fpu = 0, blank = 0;

	abi_init(argc, argv);
	fd = open("/proc/cpuinfo", O_RDONLY);
	if (fd < 0 || read_full(fd, buf, sizeof(buf) - 1) <= 0) {
		say("read: %s", ename(errno));
		return 1;
	}
	say("starts with processor: %d", strncmp(buf, "processor\t: 0\n", 14) == 0);
	for (char *l = buf; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
		int n;

		if (sscanf(l, "processor\t: %d", &n) == 1)
			in_order &= n == cpus++;
		vendor += !strncmp(l, "vendor_id\t: ", 12);
		model += !strncmp(l, "model name\t: ", 13);
		if (!strncmp(l, "flags\t\t: ", 9)) {
			flags++;
			fpu += !strncmp(l + 9, "fpu ", 4);
		}
		blank += *l == '\n';
	}
	say("cpus >= 1: %d, numbered in order: %d", cpus >= 1, in_order);
	say("per cpu: vendor %d model %d flags %d fpu %d blank %d", vendor == cpus, model == cpus,
	    flags == cpus, fpu == cpus, blank == cpus);
	return 0;
}
