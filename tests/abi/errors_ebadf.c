/* EBADF for descriptors that are not open (99, -1, a closed one) from
 * every call that takes one, and for the wrong direction (write to a
 * read-only fd, read from a write-only pipe end). */
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	char buf[8] = "x";
	struct iovec iov = { buf, 1 };
	struct stat st;
	int p[2], closed;

	abi_init(argc, argv);
	closed = open(self_path(), O_RDONLY);
	close(closed);
	SHOW(read(99, buf, 1));
	SHOW(write(-1, buf, 1));
	SHOW(readv(closed, &iov, 1));
	SHOW(writev(99, &iov, 1));
	SHOW(close(99));
	SHOW(fstat(closed, &st));
	SHOW(lseek(99, 0, SEEK_SET));
	SHOW(dup(-1));
	SHOW(fcntl(closed, F_GETFL));
	SHOW(fchdir(99));
	SHOW(syscall(SYS_getdents64, 99, buf, sizeof(buf)));
	SHOW(fstatat(99, "rel", &st, 0));
	SHOW(openat(99, "rel", O_RDONLY));
	pipe(p);
	SHOW(write(p[0], buf, 1));
	SHOW(read(p[1], buf, 1));
	closed = open(self_path(), O_RDONLY);
	SHOW(write(closed, buf, 1));
	return 0;
}
