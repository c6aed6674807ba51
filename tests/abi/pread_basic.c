/* pread64/pwrite64: reading at an offset leaves the file offset alone;
 * reading past the end gives 0; a negative offset is EINVAL; a pipe is
 * ESPIPE; a directory EISDIR; writing a read-only fd EBADF; preadv reads
 * into several buffers. */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	char buf[16], a[2], b[2];
	struct iovec iov[2] = { { a, 2 }, { b, 2 } };
	struct stat st;
	int fd, p[2], dir;

	abi_init(argc, argv);
	fd = open(self_path(), O_RDONLY);
	fstat(fd, &st);
	lseek(fd, 7, SEEK_SET);
	SHOW(pread(fd, buf, 4, 0));
	say("magic: %d", memcmp(buf, "\177ELF", 4) == 0);
	SHOW(lseek(fd, 0, SEEK_CUR));
	SHOW(pread(fd, buf, 4, st.st_size));
	SHOW(pread(fd, buf, 4, st.st_size - 2));
	SHOW(pread(fd, buf, 4, -1));
	SHOW(preadv(fd, iov, 2, 1));
	say("preadv: %.2s %.2s", a, b);
	pipe(p);
	SHOW(pread(p[0], buf, 1, 0));
	SHOW(pwrite(p[1], "x", 1, 0));
	dir = open("/", O_RDONLY | O_DIRECTORY);
	SHOW(pread(dir, buf, 1, 0));
	SHOW(pwrite(fd, "x", 1, 0));
	SHOW(pread(99, buf, 1, 0));
	return 0;
}
