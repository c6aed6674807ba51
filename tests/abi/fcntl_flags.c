/* fcntl: F_GETFL shows the access mode and O_LARGEFILE (forced on
 * x86-64), F_SETFL changes only O_APPEND/O_NONBLOCK (and ignores access
 * mode bits); F_GETFD/F_SETFD; F_DUPFD takes the lowest free fd >= arg,
 * F_DUPFD_CLOEXEC sets FD_CLOEXEC on the copy only; bad fds are EBADF,
 * unknown commands and negative F_DUPFD arguments EINVAL. */
#include <fcntl.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	int fd, p[2];

	abi_init(argc, argv);
	fd = open(self_path(), O_RDONLY);
	say("file F_GETFL: 0%o", fcntl(fd, F_GETFL));
	pipe(p);
	say("pipe F_GETFL: 0%o 0%o", fcntl(p[0], F_GETFL), fcntl(p[1], F_GETFL));
	SHOW(fcntl(p[1], F_SETFL, O_NONBLOCK | O_WRONLY | O_RDWR));
	say("after SETFL: 0%o", fcntl(p[1], F_GETFL));
	SHOW(fcntl(p[1], F_SETFL, 0));
	say("after SETFL 0: 0%o", fcntl(p[1], F_GETFL));
	SHOW(fcntl(fd, F_GETFD));
	SHOW(fcntl(fd, F_SETFD, FD_CLOEXEC | 0x10));
	SHOW(fcntl(fd, F_GETFD));
	SHOW(fcntl(fd, F_DUPFD, 0));
	SHOW(fcntl(fd, F_DUPFD, 10));
	SHOW(fcntl(fd, F_DUPFD, 10));
	SHOW(fcntl(fd, F_DUPFD_CLOEXEC, 3));
	SHOW(fcntl(8, F_GETFD));
	SHOW(fcntl(10, F_GETFD));
	SHOW(fcntl(fd, F_GETFD));
	SHOW(fcntl(fd, F_DUPFD, -1));
	SHOW(fcntl(fd, F_DUPFD, 1 << 30));
	SHOW(fcntl(fd, 9999));
	SHOW(fcntl(99, F_GETFD));
	SHOW(fcntl(99, F_GETFL));
	SHOW(fcntl(-1, F_SETFL, 0));
	return 0;
}
