/*
 * The crash scenario's workload (tests/scenarios/fs-crash.scn): writes
 * DIR/f0000 ... DIR/f<N-1>, each with open(O_CREAT|O_TRUNC), a write and
 * a pwrite, fsync and close, and prints "synced fNNNN" only after fsync
 * returned; it stops early once DIR/stop exists (looked for before each
 * file) and prints "done N", N the files written. Any failed call prints the call and its
 * errno and exits 1: across an sComponent restart no call may fail.
 *
 * File i holds fsyncer_size(i) bytes, byte k being fsyncer_byte(i, k);
 * tools/crashcheck.py computes the same.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FSYNCER_SIZE_MAX 20480

static unsigned fsyncer_size(unsigned i)
{
	return 1 + (i * 4099u) % FSYNCER_SIZE_MAX;
}

static unsigned char fsyncer_byte(unsigned i, unsigned k)
{
	return (unsigned char)(i * 31u + k * 7u + (k >> 8));
}

static void say(const char *s)
{
	size_t n = strlen(s);

	while (n) {
		ssize_t w = write(1, s, n);

		if (w <= 0)
			exit(2);
		s += w;
		n -= (size_t)w;
	}
}

static void fail(const char *what, const char *path)
{
	char line[300];

	snprintf(line, sizeof(line), "error %s %s: errno %d\n", what, path, errno);
	say(line);
	exit(1);
}

static void write_one(const char *dir, unsigned i)
{
	static unsigned char buf[FSYNCER_SIZE_MAX];
	unsigned size = fsyncer_size(i), half = size / 2;
	char path[256], line[64];
	int fd;

	for (unsigned k = 0; k < size; k++)
		buf[k] = fsyncer_byte(i, k);
	snprintf(path, sizeof(path), "%s/f%04u", dir, i);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		fail("open", path);
	if (write(fd, buf, half) != (ssize_t)half)
		fail("write", path);
	if (pwrite(fd, buf + half, size - half, half) != (ssize_t)(size - half))
		fail("pwrite", path);
	if (fsync(fd))
		fail("fsync", path);
	if (close(fd))
		fail("close", path);
	snprintf(line, sizeof(line), "synced f%04u\n", i);
	say(line);
}

static int stop_asked(const char *dir)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/stop", dir);
	if (!stat(path, &st))
		return 1;
	if (errno != ENOENT)
		fail("stat", path);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned n, i;
	char line[64];

	if (argc != 3) {
		say("usage: fsyncer DIR N\n");
		return 2;
	}
	n = (unsigned)strtoul(argv[2], NULL, 10);
	if (mkdir(argv[1], 0755) && errno != EEXIST)
		fail("mkdir", argv[1]);
	for (i = 0; i < n && !stop_asked(argv[1]); i++)
		write_one(argv[1], i);
	snprintf(line, sizeof(line), "done %u\n", i);
	say(line);
	return 0;
}
