/* What a program without a controlling terminal (stdin a pipe) sees:
 * isatty is false for fds 0-2, tty ioctls on them are ENOTTY (TCGETS,
 * TIOCGWINSZ, TIOCGPGRP), as on a pipe and a regular file, and on a bad
 * fd EBADF; opening /dev/tty is ENXIO; ttyname fails. */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	struct termios tio;
	struct winsize ws;
	int pg, p[2], f;

	abi_init(argc, argv);
	for (int fd = 0; fd < 3; fd++)
		say("isatty(%d) %d", fd, isatty(fd));
	SHOW(ioctl(0, TCGETS, &tio));
	SHOW(ioctl(1, TIOCGWINSZ, &ws));
	SHOW(ioctl(2, TIOCGPGRP, &pg));
	pipe(p);
	SHOW(ioctl(p[0], TCGETS, &tio));
	f = open(self_path(), O_RDONLY);
	SHOW(ioctl(f, TIOCGWINSZ, &ws));
	SHOW(ioctl(99, TCGETS, &tio));
	SHOW(open("/dev/tty", O_RDWR));
	say("ttyname(0): %s", ttyname(0) ? "a name" : ename(errno));
	SHOW(tcgetpgrp(0));
	return 0;
}
