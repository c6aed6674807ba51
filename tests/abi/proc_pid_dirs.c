/* /proc/<pid> of a child: its stat shows state S while it waits in read
 * and Z once it has exited but is not reaped; its status PPid is the
 * parent; its cmdline is the child's argv after exec; after it is reaped
 * the directory is gone (ENOENT). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"

static char state_of(pid_t pid)
{
	char path[64], buf[512], *paren;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return '-';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' ? paren[2] : '?';
}

static char wait_state(pid_t pid, char want)
{
	struct timespec t = { 0, 10 * 1000 * 1000 };
	char s = state_of(pid);

	for (int i = 0; i < 500 && s != want; i++) {
		nanosleep(&t, NULL);
		s = state_of(pid);
	}
	return s;
}

int main(int argc, char **argv)
{
	char path[64], buf[512];
	int go[2], fd;
	siginfo_t si;
	pid_t kid;
	ssize_t n;

	abi_init(argc, argv);
	if (argc > 1) {
		char c;

		read(3, &c, 1);
		return 4;
	}
	pipe(go);
	kid = xfork();
	if (kid == 0) {
		char *args[] = { "child-name", "waiting", "x y", NULL };

		dup2(go[0], 3);
		execve(self_path(), args, NULL);
		_exit(127);
	}
	say("waiting child: %c", wait_state(kid, 'S'));
	snprintf(path, sizeof(path), "/proc/%d/cmdline", kid);
	fd = open(path, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = '|';
	say("cmdline: %.*s", n > 0 ? (int)n : 0, buf);
	close(fd);
	snprintf(path, sizeof(path), "/proc/%d/status", kid);
	fd = open(path, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	say("PPid is us: %d", strstr(buf, "\nPPid:\t") && atoi(strstr(buf, "\nPPid:\t") + 7) == getpid());
	write(go[1], "g", 1);
	waitid(P_PID, (id_t)kid, &si, WEXITED | WNOWAIT);
	say("exited child: %c", state_of(kid));
	reap(kid);
	snprintf(path, sizeof(path), "/proc/%d/stat", kid);
	SHOW(open(path, O_RDONLY));
	return 0;
}
