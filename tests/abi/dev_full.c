/* /dev/full: a character device 1:7 that reads as zeros and refuses
 * every write with ENOSPC; /dev/urandom takes writes; a device seeks to 0
 * whatever is asked; /dev is a directory listing the devices and the fd
 * link; /dev/stdout is a link; a missing device is ENOENT. */
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "abi.h"

static int listed(const char *name)
{
	DIR *d = opendir("/dev");
	struct dirent *e;
	int found = 0;

	while (d && (e = readdir(d)))
		found |= !strcmp(e->d_name, name);
	if (d)
		closedir(d);
	return found;
}

int main(int argc, char **argv)
{
	char buf[64];
	struct stat st;
	int fd, zeros = 1;

	abi_init(argc, argv);
	if (SHOW(stat("/dev/full", &st)) == 0)
		say("mode 0%o, rdev %u:%u", st.st_mode, major(st.st_rdev), minor(st.st_rdev));
	fd = open("/dev/full", O_RDWR);
	memset(buf, 1, sizeof(buf));
	SHOW(read(fd, buf, sizeof(buf)));
	for (size_t i = 0; i < sizeof(buf); i++)
		zeros &= buf[i] == 0;
	say("zeros: %d", zeros);
	SHOW(write(fd, "x", 1));
	SHOW(lseek(fd, 12345, SEEK_SET));
	close(fd);
	fd = open("/dev/urandom", O_WRONLY);
	SHOW(write(fd, "seed", 4));
	close(fd);
	SHOW(stat("/dev", &st));
	say("/dev a directory: %d", S_ISDIR(st.st_mode));
	for (const char *const *n = (const char *const[]){ "null", "zero", "full", "random",
							   "urandom", "tty", "fd", NULL };
	     *n; n++)
		say("/dev lists %s: %d", *n, listed(*n));
	SHOW(lstat("/dev/stdout", &st));
	say("/dev/stdout a link: %d", S_ISLNK(st.st_mode));
	SHOW(open("/dev/no-such-device", O_RDONLY));
	return 0;
}
