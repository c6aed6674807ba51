/* A pipe holds 65536 bytes (F_GETPIPE_SZ): a non-blocking writer fills
 * it with 16 page-sized writes, then gets EAGAIN, even for one byte;
 * after a page is read a page fits again; a non-blocking write larger
 * than the room left is partial; reading drains it. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	static char buf[70000];
	long total = 0;
	ssize_t n;
	int p[2];

	abi_init(argc, argv);
	pipe2(p, O_NONBLOCK);
	SHOW(fcntl(p[0], F_GETPIPE_SZ));
	memset(buf, 'x', sizeof(buf));
	while ((n = write(p[1], buf, 4096)) > 0)
		total += n;
	say("filled %ld bytes, then %s", total, ename(errno));
	SHOW(write(p[1], buf, 1));
	SHOW(read(p[0], buf, 4096));
	SHOW(write(p[1], buf, 4096));
	SHOW(write(p[1], buf, 1));
	SHOW(read(p[0], buf, sizeof(buf)));
	SHOW(write(p[1], buf, sizeof(buf)));
	SHOW(read(p[0], buf, sizeof(buf)));
	SHOW(read(p[0], buf, sizeof(buf)));
	return 0;
}
