/* Relative paths follow the working directory: chdir("..") and chdir
 * into a relative name, getcwd in normal form (no "." or ".."), openat
 * and stat with AT_FDCWD and relative names, /proc/self/cwd naming it,
 * and a relative path starting at a directory descriptor. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	char cwd[512], dir[512], link[512], parent[512], *slash;
	const char *base;
	struct stat st;
	ssize_t n;
	int d;

	abi_init(argc, argv);
	snprintf(dir, sizeof(dir), "%s", self_path());
	slash = strrchr(dir, '/');
	*slash = '\0';
	base = strrchr(self_path(), '/') + 1;
	snprintf(parent, sizeof(parent), "%s", dir);
	*strrchr(parent, '/') = '\0';
	SHOW(chdir(dir));
	SHOW(chdir(".."));
	say("up to the parent: %d", getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, parent[0] ? parent : "/"));
	SHOW(chdir(strrchr(dir, '/') + 1));
	say("down again: %d", getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, dir));
	SHOW(chdir("./././"));
	say("dots kept out: %d", getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, dir));
	SHOW(stat(base, &st));
	d = openat(AT_FDCWD, base, O_RDONLY);
	say("openat relative: %s", d >= 0 ? "ok" : ename(errno));
	close(d);
	n = readlink("/proc/self/cwd", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	say("/proc/self/cwd is it: %d", !strcmp(link, dir));
	SHOW(chdir("/"));
	d = open(dir, O_RDONLY | O_DIRECTORY);
	say("from a directory fd: %s", fstatat(d, base, &st, 0) == 0 ? "ok" : ename(errno));
	snprintf(link, sizeof(link), "%s/x", self_path());
	say("through a file: %s", chdir(link) ? ename(errno) : "ok");
	SHOW(chdir(""));
	return 0;
}
