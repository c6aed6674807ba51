/* Listing /proc shows "self", this process's pid, and the files meminfo,
 * cpuinfo, mounts, and the directory sys; /proc/self lists stat,
 * status, cmdline, maps, fd, exe, comm; getdents64 on /proc/self/fd
 * counts 2 + open fds entries. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "abi.h"

static int has(const char *dir, const char *name, int type)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (!strcmp(e->d_name, name))
			found = type < 0 || e->d_type == type ? 1 : 2;
	closedir(d);
	return found;
}

static int count(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	static const char *const top[] = { "self", "meminfo", "cpuinfo", "mounts", "uptime" };
	static const char *const self[] = { "stat", "status", "cmdline", "maps", "fd", "exe",
					    "comm", "environ", "fdinfo" };
	char pid[16];

	abi_init(argc, argv);
	snprintf(pid, sizeof(pid), "%d", getpid());
	say("own pid dir: %d", has("/proc", pid, DT_DIR));
	say("self is a link: %d", has("/proc", "self", DT_LNK));
	say("sys is a dir: %d", has("/proc", "sys", DT_DIR));
	for (unsigned i = 0; i < sizeof(top) / sizeof(top[0]); i++)
		say("/proc/%s: %d", top[i], has("/proc", top[i], -1));
	for (unsigned i = 0; i < sizeof(self) / sizeof(self[0]); i++)
		say("/proc/self/%s: %d", self[i], has("/proc/self", self[i], -1));
	say("/proc/self/fd entries: %d", count("/proc/self/fd"));
	return 0;
}
