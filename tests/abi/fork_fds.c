/* Descriptors are shared across fork: the child's reads move the offset
 * the parent sees (one open file); closing in the child leaves the
 * parent's open; FD_CLOEXEC is copied per descriptor; a pipe carries
 * bytes both ways between parent and child. */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	int fd, p[2], q[2];
	char buf[16];
	pid_t kid;

	abi_init(argc, argv);
	fd = open(self_path(), O_RDONLY);
	read(fd, buf, 10);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	pipe(p);
	pipe(q);
	kid = xfork();
	if (kid == 0) {
		say("child offset: %lld", (long long)lseek(fd, 0, SEEK_CUR));
		say("child cloexec: %d", fcntl(fd, F_GETFD));
		read(fd, buf, 6);
		close(fd);
		write(p[1], "ping", 4);
		read(q[0], buf, 4);
		say("child got: %.4s", buf);
		_exit(0);
	}
	read(p[0], buf, 4);
	say("parent got: %.4s", buf);
	write(q[1], "pong", 4);
	reap(kid);
	say("parent offset: %lld", (long long)lseek(fd, 0, SEEK_CUR));
	SHOW(fcntl(fd, F_GETFD));
	SHOW(close(fd));
	return 0;
}
