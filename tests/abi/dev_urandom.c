/* /dev/urandom (1:9) and /dev/random (1:8) give bytes that are not all
 * zero and differ from read to read; getrandom gives them too, with
 * GRND_NONBLOCK, and refuses unknown flags (EINVAL) and bad buffers
 * (EFAULT). Only facts about the bytes are printed. */
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "abi.h"

static int nonzero(const unsigned char *b, size_t n)
{
	int c = 0;

	for (size_t i = 0; i < n; i++)
		c += b[i] != 0;
	return c;
}

int main(int argc, char **argv)
{
	unsigned char a[256], b[256];
	void *volatile bad = (void *)8;
	struct stat st;
	int fd;

	abi_init(argc, argv);
	stat("/dev/urandom", &st);
	say("urandom: mode 0%o, rdev %u:%u", st.st_mode, major(st.st_rdev), minor(st.st_rdev));
	stat("/dev/random", &st);
	say("random: mode 0%o, rdev %u:%u", st.st_mode, major(st.st_rdev), minor(st.st_rdev));
	fd = open("/dev/urandom", O_RDONLY);
	SHOW(read(fd, a, sizeof(a)));
	SHOW(read(fd, b, sizeof(b)));
	say("not all zero: %d, differ: %d", nonzero(a, sizeof(a)) > 200, memcmp(a, b, sizeof(a)) != 0);
	close(fd);
	fd = open("/dev/random", O_RDONLY);
	SHOW(read(fd, a, 32));
	close(fd);
	SHOW(getrandom(a, sizeof(a), 0));
	SHOW(getrandom(b, sizeof(b), GRND_NONBLOCK));
	say("differ: %d", memcmp(a, b, sizeof(a)) != 0);
	SHOW(getrandom(a, sizeof(a), 0x100));
	SHOW(getrandom(bad, 16, 0));
	return 0;
}
