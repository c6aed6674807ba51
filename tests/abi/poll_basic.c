/* poll on pipes: an empty read end is not ready (timeout 0 returns 0), a
 * write end is POLLOUT; data makes the read end POLLIN; a closed writer
 * gives POLLHUP (with POLLIN while data is left); a closed reader gives
 * the writer POLLERR; a closed fd is POLLNVAL; a negative fd is ignored;
 * too many fds is EINVAL, a bad array EFAULT. */
#include <poll.h>
#include <unistd.h>

#include "abi.h"

static void show_poll(const char *what, struct pollfd *f, int n, int timeout)
{
	int r = poll(f, (nfds_t)n, timeout);

	if (r < 0) {
		say("%s: %s", what, ename(errno));
		return;
	}
	say("%s: %d ready, revents 0x%x 0x%x", what, r, f[0].revents,
	    n > 1 ? f[1].revents : 0);
}

int main(int argc, char **argv)
{
	int p[2], q[2];
	struct pollfd f[2];
	struct pollfd *volatile bad = (struct pollfd *)8;
	volatile nfds_t many = 1 << 20;
	char c;

	abi_init(argc, argv);
	pipe(p);
	f[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	f[1] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	show_poll("empty", f, 2, 0);
	write(p[1], "ab", 2);
	show_poll("data", f, 2, 0);
	show_poll("data, blocking", f, 1, -1);
	close(p[1]);
	show_poll("writer closed, data left", f, 1, 0);
	read(p[0], &c, 1);
	read(p[0], &c, 1);
	show_poll("writer closed, drained", f, 1, 0);
	close(p[0]);
	show_poll("closed fd", f, 1, 0);
	pipe(q);
	close(q[0]);
	f[0] = (struct pollfd){ .fd = q[1], .events = POLLOUT };
	f[1] = (struct pollfd){ .fd = -1, .events = POLLIN };
	show_poll("reader closed", f, 2, 0);
	SHOW(poll(f, many, 0));
	SHOW(poll(bad, 1, 0));
	SHOW(poll(NULL, 0, 0));
	return 0;
}
