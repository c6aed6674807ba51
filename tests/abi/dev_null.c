/* /dev/null: a character device 1:3, mode 0666; reads are end of file,
 * writes of any length succeed and vanish; it seeks to 0; O_RDONLY
 * opens refuse writes (EBADF); stat and fstat agree. */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	static char big[1 << 20];
	struct stat st, fst;
	char buf[16];
	int fd, ro;

	abi_init(argc, argv);
	if (SHOW(stat("/dev/null", &st)) == 0)
		say("mode 0%o, char %d, rdev %u:%u", st.st_mode, S_ISCHR(st.st_mode),
		    major(st.st_rdev), minor(st.st_rdev));
	fd = open("/dev/null", O_RDWR);
	say("open O_RDWR: %s", fd < 0 ? ename(errno) : "ok");
	SHOW(read(fd, buf, sizeof(buf)));
	SHOW(write(fd, "discard", 7));
	SHOW(write(fd, big, sizeof(big)));
	SHOW(lseek(fd, 100, SEEK_SET));
	fstat(fd, &fst);
	EXPECT(fst.st_rdev == st.st_rdev && fst.st_mode == st.st_mode);
	say("F_GETFL 0%o", fcntl(fd, F_GETFL));
	ro = open("/dev/null", O_RDONLY);
	SHOW(write(ro, "x", 1));
	SHOW(close(fd));
	SHOW(close(ro));
	return 0;
}
