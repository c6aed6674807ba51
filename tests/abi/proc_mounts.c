/* /proc/mounts (and /proc/self/mounts): six fields per line; a root
 * mount "/"; "proc /proc proc ..." for /proc itself; options start with
 * rw or ro. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "abi.h"

static char buf[65536];

static void look(const char *path)
{
	int fd = open(path, O_RDONLY), six = 1, root = 0, proc = 0, opts = 1, lines = 0;

	if (fd < 0 || read_full(fd, buf, sizeof(buf) - 1) < 0) {
		say("%s: %s", path, ename(errno));
		return;
	}
	for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n")) {
		char dev[256], dir[256], type[64], o[512];
		int a, b;

		lines++;
		six &= sscanf(l, "%255s %255s %63s %511s %d %d", dev, dir, type, o, &a, &b) == 6;
		root |= !strcmp(dir, "/");
		proc |= !strcmp(dev, "proc") && !strcmp(dir, "/proc") && !strcmp(type, "proc");
		opts &= !strncmp(o, "rw", 2) || !strncmp(o, "ro", 2);
	}
	close(fd);
	say("%s: lines %d, six fields %d, root %d, proc %d, rw/ro %d", path, lines > 0, six, root,
	    proc, opts);
}

int main(int argc, char **argv)
{
	abi_init(argc, argv);
	look("/proc/mounts");
	look("/proc/self/mounts");
	return 0;
}
