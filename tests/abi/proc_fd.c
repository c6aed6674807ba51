/* /proc/self/fd/N links name what each descriptor is: "pipe:[INODE]"
 * (both ends the same inode), "/dev/null", a file's absolute path; a
 * closed N is ENOENT; opening the link of a file gives a new open file
 * at offset 0. /proc/self/fdinfo/N shows pos and flags. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "abi.h"

static char *link_of(int fd, char *buf, size_t cap)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, buf, cap - 1);
	if (n < 0)
		snprintf(buf, cap, "%s", ename(errno));
	else
		buf[n] = '\0';
	return buf;
}

int main(int argc, char **argv)
{
	char a[256], b[256], path[64], info[256];
	int p[2], nul, f, again, fi;
	ssize_t n;

	abi_init(argc, argv);
	pipe(p);
	nul = open("/dev/null", O_WRONLY);
	f = open(self_path(), O_RDONLY);
	lseek(f, 100, SEEK_SET);
	link_of(p[0], a, sizeof(a));
	link_of(p[1], b, sizeof(b));
	say("pipe: prefix %d, same inode %d", strncmp(a, "pipe:[", 6) == 0, strcmp(a, b) == 0);
	say("null: %s", link_of(nul, a, sizeof(a)));
	say("file is own path: %d", strcmp(link_of(f, a, sizeof(a)), self_path()) == 0);
	say("closed: %s", link_of(40, a, sizeof(a)));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", f);
	again = open(path, O_RDONLY);
	say("reopened at offset %lld", (long long)lseek(again, 0, SEEK_CUR));
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", f);
	fi = open(path, O_RDONLY);
	n = fi < 0 ? -1 : read(fi, info, sizeof(info) - 1);
	info[n > 0 ? n : 0] = '\0';
	say("fdinfo: %.*s", (int)strcspn(info, "\n"), info);
	say("fdinfo flags line: %d", strstr(info, "\nflags:\t0100000\n") != NULL);
	return 0;
}
