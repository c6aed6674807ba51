/* dup/dup2/dup3: a copy shares the offset with the original; dup2 of an
 * fd onto itself is a no-op returning it (EBADF if it is closed), dup3
 * onto itself is EINVAL, dup3 with flags other than O_CLOEXEC is EINVAL;
 * dup2 replaces an open target silently and clears its FD_CLOEXEC;
 * targets beyond the fd limit are EBADF. */
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	int fd, copy, other;
	char buf[8];

	abi_init(argc, argv);
	fd = open(self_path(), O_RDONLY);
	copy = dup(fd);
	say("dup: %d", copy);
	read(fd, buf, 5);
	say("copy's offset: %lld", (long long)lseek(copy, 0, SEEK_CUR));
	SHOW(dup2(fd, fd));
	SHOW(dup2(40, 40));
	SHOW(dup3(fd, fd, 0));
	SHOW(syscall(SYS_dup3, fd, 20, O_NONBLOCK));
	SHOW(dup3(fd, 20, O_CLOEXEC));
	SHOW(fcntl(20, F_GETFD));
	other = open(self_path(), O_RDONLY | O_CLOEXEC);
	SHOW(dup2(fd, other));
	SHOW(fcntl(other, F_GETFD));
	say("replaced target's offset: %lld", (long long)lseek(other, 0, SEEK_CUR));
	SHOW(dup2(fd, 1 << 20));
	SHOW(dup2(fd, -1));
	SHOW(dup(-1));
	SHOW(dup(77));
	SHOW(close(copy));
	SHOW(read(copy, buf, 1));
	return 0;
}
