/* Blocking waits end on time: poll, ppoll, select and pselect6 with a
 * 150 ms timeout on an empty pipe return 0 after at least 150 ms (and
 * well under 5 s); select's timeval is updated to what is left (0);
 * poll with no fds sleeps as well; a child's write wakes a blocked poll. */
#include <poll.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"

static void timed(const char *what, long long t0, int r)
{
	long long dt = mono_ms() - t0;

	say("%s: %d (%s), waited >= 150 ms: %s, < 5 s: %s", what, r, r < 0 ? ename(errno) : "ok",
	    dt >= 150 ? "yes" : "no", dt < 5000 ? "yes" : "no");
}

int main(int argc, char **argv)
{
	struct timespec ts = { 0, 150 * 1000 * 1000 };
	struct timeval tv = { 0, 150 * 1000 };
	struct pollfd f;
	long long t0;
	fd_set rd;
	int p[2];
	pid_t kid;

	abi_init(argc, argv);
	pipe(p);
	f = (struct pollfd){ .fd = p[0], .events = POLLIN };
	t0 = mono_ms();
	timed("poll", t0, poll(&f, 1, 150));
	t0 = mono_ms();
	timed("poll, no fds", t0, poll(NULL, 0, 150));
	t0 = mono_ms();
	timed("ppoll", t0, ppoll(&f, 1, &ts, NULL));
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	t0 = mono_ms();
	timed("select", t0, select(p[0] + 1, &rd, NULL, NULL, &tv));
	say("timeval left: %ld.%06ld, set cleared: %d", (long)tv.tv_sec, (long)tv.tv_usec,
	    !FD_ISSET(p[0], &rd));
	FD_SET(p[0], &rd);
	t0 = mono_ms();
	timed("pselect", t0, pselect(p[0] + 1, &rd, NULL, NULL, &ts, NULL));
	kid = xfork();
	if (kid == 0) {
		struct timespec d = { 0, 100 * 1000 * 1000 };

		nanosleep(&d, NULL);
		write(p[1], "w", 1);
		_exit(0);
	}
	f.revents = 0;
	SHOW(poll(&f, 1, 10000));
	say("revents 0x%x", f.revents);
	reap(kid);
	return 0;
}
