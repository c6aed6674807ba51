/* host_run: see tests/host/host_run.h. */
#include <stdio.h>
#include <sys/wait.h>

#include "tests/host/host_run.h"

int host_run(const char *cmd, char *buf, size_t cap)
{
	FILE *p = popen(cmd, "r");
	size_t len;
	int st;

	if (!p)
		return -1;
	len = fread(buf, 1, cap - 1, p);
	buf[len] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
