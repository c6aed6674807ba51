/* poll over 40 pipes: writing to every third makes exactly those
 * readable, reported in place; poll keeps fds in the order given and
 * counts each ready entry once (a duplicate entry counts twice). */
#include <poll.h>
#include <unistd.h>

#include "abi.h"

#define N 40

int main(int argc, char **argv)
{
	struct pollfd f[N + 1];
	int p[N][2], ready = 0, right = 0;

	abi_init(argc, argv);
	for (int i = 0; i < N; i++) {
		if (pipe(p[i]) < 0) {
			say("pipe %d: %s", i, ename(errno));
			return 1;
		}
		f[i] = (struct pollfd){ .fd = p[i][0], .events = POLLIN };
	}
	f[N] = f[3];
	for (int i = 0; i < N; i += 3)
		write(p[i][1], "x", 1);
	SHOW(poll(f, N + 1, 1000));
	for (int i = 0; i < N; i++) {
		ready += f[i].revents != 0;
		right += (f[i].revents == POLLIN) == (i % 3 == 0);
	}
	say("ready %d, right %d of %d, duplicate 0x%x", ready, right, N, f[N].revents);
	return 0;
}
