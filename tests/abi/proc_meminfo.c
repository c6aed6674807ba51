/* /proc/meminfo: "Key:   value kB" lines, the value right-aligned in 8
 * columns after the key padded to 16; MemTotal, MemFree, MemAvailable
 * come first, MemFree <= MemTotal; SwapTotal and the huge page lines are
 * there. Values are not printed. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "abi.h"

static char buf[16384];

static long long value(const char *key)
{
	char *at = strstr(buf, key);
	long long v = -1;

	if (at)
		sscanf(at + strlen(key), ":%lld", &v);
	return v;
}

int main(int argc, char **argv)
{
	int fd, lines = 0, aligned = 0, kb = 0;
	char first[3][32];

	abi_init(argc, argv);
	fd = open("/proc/meminfo", O_RDONLY);
	if (fd < 0 || read_full(fd, buf, sizeof(buf) - 1) <= 0) {
		say("read: %s", ename(errno));
		return 1;
	}
	for (char *l = buf; *l; l = strchr(l, '\n') + 1) {
		size_t len = strcspn(l, "\n");
		const char *colon = memchr(l, ':', len);

		if (lines < 3)
			snprintf(first[lines], sizeof(first[0]), "%.*s", (int)(colon - l), l);
		lines++;
		kb += len > 3 && !memcmp(l + len - 3, " kB", 3);
		if (len > 3 && !memcmp(l + len - 3, " kB", 3) && (len == 27 || l[16] != ' '))
			aligned++;
		if (!strchr(l, '\n'))
			break;
	}
	say("first keys: %s %s %s", first[0], first[1], first[2]);
	say("many lines: %d, kB lines aligned: %d", lines > 20, aligned == kb);
	say("free <= total: %d, available > 0: %d", value("MemFree") <= value("MemTotal"),
	    value("MemAvailable") > 0);
	say("SwapTotal %d, HugePages_Total %d, Hugepagesize %d", value("SwapTotal") >= 0,
	    value("HugePages_Total") >= 0, value("Hugepagesize") > 0);
	return 0;
}
