/* pipe: bytes written come out in order; once the write end is closed,
 * read returns what is left and then 0 (end of file). */
#include <string.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	int fds[2];
	char buf[64];

	abi_init(argc, argv);
	if (SHOW(pipe(fds)) < 0)
		return 1;
	say("fds: %d %d", fds[0], fds[1]);
	SHOW(write(fds[1], "hello ", 6));
	SHOW(write(fds[1], "pipe", 4));
	SHOW(read(fds[0], buf, 3));
	SHOW(close(fds[1]));
	memset(buf, 0, sizeof(buf));
	SHOW(read(fds[0], buf, sizeof(buf)));
	say("rest: %s", buf);
	SHOW(read(fds[0], buf, sizeof(buf)));
	SHOW(close(fds[0]));
	SHOW(close(fds[0]));
	return 0;
}
