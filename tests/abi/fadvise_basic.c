/* posix_fadvise (fadvise64) and readahead: advice on a regular file is
 * accepted; unknown advice is EINVAL; a pipe is ESPIPE; a bad fd EBADF
 * (posix_fadvise returns the error, it does not set errno). */
#include <fcntl.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	int fd, p[2];

	abi_init(argc, argv);
	fd = open(self_path(), O_RDONLY);
	pipe(p);
	say("SEQUENTIAL: %s", ename(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)));
	say("WILLNEED: %s", ename(posix_fadvise(fd, 0, 4096, POSIX_FADV_WILLNEED)));
	say("DONTNEED: %s", ename(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED)));
	say("bad advice: %s", ename(posix_fadvise(fd, 0, 0, 99)));
	say("pipe: %s", ename(posix_fadvise(p[0], 0, 0, POSIX_FADV_NORMAL)));
	say("bad fd: %s", ename(posix_fadvise(99, 0, 0, POSIX_FADV_NORMAL)));
	SHOW(readahead(fd, 0, 4096));
	SHOW(readahead(p[0], 0, 4096));
	return 0;
}
