/* /dev/zero: a character device 1:5; every read fills the buffer with
 * zero bytes (whatever was there), writes succeed; a private mapping of
 * it is zeroed, writable memory. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	static char buf[100000];
	struct stat st;
	int fd, zeros = 1;
	char *m;

	abi_init(argc, argv);
	if (SHOW(stat("/dev/zero", &st)) == 0)
		say("mode 0%o, rdev %u:%u", st.st_mode, major(st.st_rdev), minor(st.st_rdev));
	fd = open("/dev/zero", O_RDWR);
	memset(buf, 0x77, sizeof(buf));
	SHOW(read(fd, buf, sizeof(buf)));
	for (size_t i = 0; i < sizeof(buf); i++)
		zeros &= buf[i] == 0;
	say("all zero: %d", zeros);
	SHOW(write(fd, buf, 10));
	m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED) {
		say("mmap: %s", ename(errno));
	} else {
		say("mapped zero: %d %d", m[0], m[8191]);
		m[100] = 5;
		say("writable: %d", m[100]);
	}
	SHOW(close(fd));
	return 0;
}
