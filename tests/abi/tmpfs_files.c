/*
 * /tmp and /dev/shm are writable in every process's view: in a directory
 * of its own under each, files made, written with a hole, read back,
 * renamed over one another, linked and unlinked, listed, and a non-empty
 * directory refused by rmdir; /dev/shm is a tmpfs (statfs f_type). What
 * /tmp is on the host varies, so only /dev/shm's type is printed.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "abi.h"

#define TMPFS_MAGIC 0x01021994

static char dir[128];

/* dir/name, in one of two buffers used in turn (a call may take two). */
static const char *in(const char *name)
{
	static char path[2][160];
	static int next;
	char *p = path[next++ % 2];

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	return p;
}

static void listing(void)
{
	char names[10][32];
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)) && n < 10)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			snprintf(names[n++], sizeof(names[0]), "%.31s", e->d_name);
	if (d)
		closedir(d);
	qsort(names, n, sizeof(names[0]), (int (*)(const void *, const void *))strcmp);
	for (int i = 0; i < n; i++)
		say("entry %s", names[i]);
}

static void files_in(const char *top)
{
	struct stat st;
	char buf[16] = { 0 };
	int fd;

	say("in %s:", top);
	snprintf(dir, sizeof(dir), "%s/abi-tmpfs-%d", top, getpid());
	SHOW(mkdir(dir, 0700));
	fd = open(in("a"), O_RDWR | O_CREAT | O_EXCL, 0644);
	EXPECT(fd >= 0);
	SHOW(pwrite(fd, "tail", 4, 10000));
	SHOW(fstat(fd, &st));
	say("size %lld, regular %d", (long long)st.st_size, S_ISREG(st.st_mode));
	SHOW(pread(fd, buf, 6, 9998));
	EXPECT(!memcmp(buf, "\0\0tail", 6));
	SHOW(ftruncate(fd, 3));
	SHOW(close(fd));
	SHOW(open(in("a"), O_RDWR | O_CREAT | O_EXCL, 0644));
	SHOW(close(open(in("b"), O_WRONLY | O_CREAT | O_TRUNC, 0600)));
	SHOW(rename(in("a"), in("b")));
	SHOW(stat(in("b"), &st));
	say("b: size %lld, mode %o", (long long)st.st_size, st.st_mode & 07777);
	SHOW(link(in("b"), in("c")));
	SHOW(stat(in("c"), &st));
	say("c: links %lu", (unsigned long)st.st_nlink);
	SHOW(mkdir(in("sub"), 0755));
	SHOW(symlink("b", in("s")));
	listing();
	SHOW(rmdir(dir));
	SHOW(unlink(in("b")));
	SHOW(stat(in("s"), &st));
	SHOW(unlink(in("c")));
	SHOW(unlink(in("s")));
	SHOW(rmdir(in("sub")));
	SHOW(rmdir(dir));
}

int main(int argc, char **argv)
{
	struct statfs sf;

	abi_init(argc, argv);
	files_in("/tmp");
	files_in("/dev/shm");
	SHOW(statfs("/dev/shm", &sf));
	EXPECT(sf.f_type == TMPFS_MAGIC);
	return 0;
}
