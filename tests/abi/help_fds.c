/* Helper: for each fd named in argv[1..], prints whether it is open, its
 * FD_CLOEXEC bit, its status flags' access mode and its offset (or
 * ESPIPE). */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	abi_init(argc, argv);
	for (int i = 1; i < argc; i++) {
		int fd = atoi(argv[i]);
		int fdfl = fcntl(fd, F_GETFD);
		int fl = fcntl(fd, F_GETFL);
		off_t off;

		if (fdfl < 0) {
			say("helper: fd %d: %s", fd, ename(errno));
			continue;
		}
		off = lseek(fd, 0, SEEK_CUR);
		say("helper: fd %d: open, cloexec %d, accmode %d, offset %lld%s%s", fd,
		    fdfl & FD_CLOEXEC, fl & O_ACCMODE, (long long)off, off < 0 ? " " : "",
		    off < 0 ? ename(errno) : "");
	}
	return 0;
}
