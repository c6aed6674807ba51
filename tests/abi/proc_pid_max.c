/* /proc/sys/kernel/pid_max holds one decimal number and a newline, at
 * least 301 and larger than this process's pid; a write to the read-only
 * descriptor is EBADF; a second read is at end of file. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	char buf[64] = "";
	char *end;
	long v;
	int fd;
	ssize_t n;

	abi_init(argc, argv);
	fd = open("/proc/sys/kernel/pid_max", O_RDONLY);
	if (fd < 0) {
		say("open: %s", ename(errno));
		return 1;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	v = strtol(buf, &end, 10);
	say("a number and a newline: %d", end != buf && strcmp(end, "\n") == 0);
	say(">= 301: %d, > own pid: %d", v >= 301, v > getpid());
	SHOW(write(fd, "5", 1));
	SHOW(read(fd, buf, sizeof(buf)));
	return 0;
}
