/* /dev/fd is a link to /proc/self/fd; opening /dev/fd/N of a pipe gives
 * a new descriptor on the same pipe (bytes written to one are read from
 * the other); of a closed N it is ENOENT; /dev/stdin, /dev/stdout and
 * /dev/stderr link to fds 0-2. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "abi.h"

static void show_link(const char *path)
{
	char buf[256];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	if (n < 0) {
		say("%s: %s", path, ename(errno));
		return;
	}
	buf[n] = '\0';
	say("%s -> %s", path, buf);
}

int main(int argc, char **argv)
{
	char path[64], buf[8];
	int p[2], fd;

	abi_init(argc, argv);
	show_link("/dev/fd");
	show_link("/dev/stdin");
	show_link("/dev/stdout");
	show_link("/dev/stderr");
	pipe(p);
	snprintf(path, sizeof(path), "/dev/fd/%d", p[1]);
	fd = open(path, O_WRONLY);
	say("open %s: %s", "/dev/fd/<write end>", fd < 0 ? ename(errno) : "ok");
	if (SHOW(write(fd, "via", 3)) == 3)
		SHOW(read(p[0], buf, sizeof(buf)));
	EXPECT(fd != p[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", 60);
	SHOW(open(path, O_RDONLY));
	fd = open("/dev/fd/1", O_WRONLY);
	SHOW(write(fd, "through /dev/fd/1\n", 18));
	return 0;
}
