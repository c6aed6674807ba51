/* /proc/self/exe names the running program (its absolute path), and
 * execve("/proc/self/exe") runs it again, as busybox does for applets in
 * a pipeline. readlink truncates silently to the buffer and fails with
 * EINVAL on a file that is not a link. */
#include <string.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	char link[512] = "", small[4];
	char *again[] = { "whatever", "again", NULL };
	ssize_t n;

	abi_init(argc, argv);
	if (argc > 1) {
		say("re-executed with \"%s\"", argv[1]);
		n = readlink("/proc/self/exe", link, sizeof(link) - 1);
		link[n > 0 ? n : 0] = '\0';
		say("its exe is named %s", strrchr(link, '/') ? strrchr(link, '/') + 1 : link);
		return 3;
	}
	n = readlink("/proc/self/exe", link, sizeof(link) - 1);
	if (n < 0) {
		say("readlink: %s", ename(errno));
		return 1;
	}
	link[n] = '\0';
	EXPECT(strcmp(link, argv[0]) == 0);
	EXPECT(n == (ssize_t)strlen(argv[0]));
	SHOW(readlink("/proc/self/exe", small, sizeof(small)));
	EXPECT(memcmp(small, argv[0], 4) == 0);
	SHOW(readlink(argv[0], link, sizeof(link)));
	execve("/proc/self/exe", again, NULL);
	say("execve: %s", ename(errno));
	return 1;
}
