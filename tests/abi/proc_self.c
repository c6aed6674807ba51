/* /proc/self is a link to the caller's pid directory; /proc/self/comm is
 * the program's name cut to 15 bytes; /proc/self/fd lists exactly the
 * open descriptors (0, 1, 2, the pipe, and the listing's own fd). */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	char link[64], want[64], comm[64] = "";
	struct dirent *e;
	struct stat st;
	int p[2], fd, fds = 0;
	ssize_t n;
	DIR *d;

	abi_init(argc, argv);
	n = readlink("/proc/self", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	snprintf(want, sizeof(want), "%d", getpid());
	say("/proc/self -> own pid: %d", strcmp(link, want) == 0);
	SHOW(stat("/proc/self", &st));
	say("a directory: %d", S_ISDIR(st.st_mode));
	fd = open("/proc/self/comm", O_RDONLY);
	n = read(fd, comm, sizeof(comm) - 1);
	comm[n > 0 ? n : 0] = '\0';
	close(fd);
	say("comm: %s", strtok(comm, "\n"));
	pipe(p);
	d = opendir("/proc/self/fd");
	if (!d) {
		say("opendir /proc/self/fd: %s", ename(errno));
		return 1;
	}
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			fds |= 1 << atoi(e->d_name);
	closedir(d);
	say("fds listed: 0x%x", fds);
	return 0;
}
