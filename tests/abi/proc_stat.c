/* /proc/self/stat as Linux formats it: "pid (comm) state ppid pgrp
 * session tty_nr tpgid ..." with 52 fields; the values that are
 * deterministic: comm, state R, ppid/pgrp/session as the calls say, no
 * tty (tty_nr 0, tpgid -1), one thread, and its start time is not in the
 * future. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	char buf[2048], *f[64], *close_paren, comm[32];
	int fd, nf = 0;
	ssize_t n;

	abi_init(argc, argv);
	fd = open("/proc/self/stat", O_RDONLY);
	if (fd < 0) {
		say("open: %s", ename(errno));
		return 1;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	say("ends with a newline: %d", n > 0 && buf[n - 1] == '\n');
	close_paren = strrchr(buf, ')');
	if (!close_paren || !strchr(buf, '(')) {
		say("malformed");
		return 1;
	}
	snprintf(comm, sizeof(comm), "%.*s", (int)(close_paren - strchr(buf, '(') - 1),
		 strchr(buf, '(') + 1);
	say("comm: %s", comm);
	say("pid field: %d", atoi(buf) == getpid());
	for (char *w = strtok(close_paren + 1, " \n"); w && nf < 64; w = strtok(NULL, " \n"))
		f[nf++] = w;
	say("fields: %d", nf + 2);
	if (nf < 50)
		return 1;
	say("state %s, ppid %d, pgrp %d, session %d", f[0], atoi(f[1]) == getppid(),
	    atoi(f[2]) == getpgrp(), atoi(f[3]) == getsid(0));
	say("tty_nr %s, tpgid %s, threads %s", f[4], f[5], f[17]);
	return 0;
}
