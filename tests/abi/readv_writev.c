/* readv/writev over a pipe: several buffers are gathered and scattered in
 * order, zero-length entries are skipped, the total is returned;
 * iovcnt 0 returns 0; more than IOV_MAX (1024) entries or a negative
 * count is EINVAL; huge lengths are cut to what one call moves and then
 * fault past the buffer (EFAULT). */
#include <limits.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	char a[4], b[6], c[3];
	struct iovec out[4] = { { "one", 3 }, { "", 0 }, { "-two", 4 }, { "-three", 6 } };
	struct iovec in[3] = { { a, 4 }, { b, 6 }, { c, 3 } };
	struct iovec huge[2] = { { a, SSIZE_MAX }, { b, SSIZE_MAX } };
	static struct iovec many[1025];
	volatile int minus_one = -1;
	int p[2];

	abi_init(argc, argv);
	pipe(p);
	SHOW(writev(p[1], out, 4));
	SHOW(readv(p[0], in, 3));
	say("got %.4s|%.6s|%.3s", a, b, c);
	SHOW(writev(p[1], out, 0));
	for (int i = 0; i < 1025; i++)
		many[i] = (struct iovec){ a, 1 };
	SHOW(writev(p[1], many, 1025));
	SHOW(writev(p[1], many, 1024));
	SHOW(writev(p[1], out, minus_one));
	SHOW(writev(p[1], huge, 2));
	SHOW(readv(p[0], many, 1024));
	return 0;
}
