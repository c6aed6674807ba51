/* /proc/self/cmdline is argv, each argument NUL-terminated (empty ones
 * and spaces kept), and /proc/self/environ the environment likewise. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "abi.h"

static void pieces(const char *path, int skip_first)
{
	char buf[4096];
	int fd = open(path, O_RDONLY), i = 0;
	ssize_t n = fd < 0 ? -1 : read_full(fd, buf, sizeof(buf));

	if (n < 0) {
		say("%s: %s", path, ename(errno));
		return;
	}
	say("%s: %zd bytes, ends with NUL %d", path, n - (skip_first ? (ssize_t)strlen(buf) : 0),
	    n > 0 && buf[n - 1] == '\0');
	for (char *p = buf; p < buf + n; p += strlen(p) + 1, i++)
		if (!skip_first || i > 0)
			say("  [%d] \"%s\"", i, p);
	close(fd);
}

int main(int argc, char **argv)
{
	abi_init(argc, argv);
	pieces("/proc/self/cmdline", 1);
	pieces("/proc/self/environ", 0);
	return 0;
}
