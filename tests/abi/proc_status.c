/* /proc/self/status: "Key:\tvalue" lines; Name, State "R (running)",
 * Tgid/Pid/PPid agree with the calls, Uid and Gid have four fields
 * (real, effective, saved, fs), Threads 1, VmRSS is in kB, SigBlk shows
 * a blocked SIGUSR1 as 16 hex digits. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abi.h"

static char buf[8192];

static const char *field(const char *key)
{
	static char val[256];
	char pat[64];
	const char *at;

	snprintf(pat, sizeof(pat), "\n%s:\t", key);
	at = strncmp(buf, pat + 1, strlen(pat + 1)) == 0 ? buf - 1 : strstr(buf, pat);
	if (!at)
		return "(missing)";
	at += strlen(pat);
	snprintf(val, sizeof(val), "%.*s", (int)strcspn(at, "\n"), at);
	return val;
}

int main(int argc, char **argv)
{
	sigset_t s;
	int fd;
	ssize_t n;

	abi_init(argc, argv);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	fd = open("/proc/self/status", O_RDONLY);
	if (fd < 0) {
		say("open: %s", ename(errno));
		return 1;
	}
	n = read_full(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	say("Name: %s", field("Name"));
	say("State: %s", field("State"));
	say("Tgid ok %d, Pid ok %d, PPid ok %d", atoi(field("Tgid")) == getpid(),
	    atoi(field("Pid")) == getpid(), atoi(field("PPid")) == getppid());
	say("Uid: %s", field("Uid"));
	say("Gid: %s", field("Gid"));
	say("Threads: %s", field("Threads"));
	say("VmRSS in kB: %d", strstr(field("VmRSS"), " kB") != NULL);
	say("SigBlk: %s", field("SigBlk"));
	return 0;
}
