/* Whole reads and writes on the NBD socket (nbd.h). */
#include <errno.h>
#include <stddef.h>
#include <unistd.h>

#include "tests/linux/nbd.h"

int nbd_read_all(int fd, void *buf, size_t n)
{
	while (n) {
		ssize_t r = read(fd, buf, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		buf = (char *)buf + r;
		n -= (size_t)r;
	}
	return 0;
}

int nbd_write_all(int fd, const void *buf, size_t n)
{
	while (n) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf = (const char *)buf + w;
		n -= (size_t)w;
	}
	return 0;
}
