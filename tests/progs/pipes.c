/* Pipes in one process, each step one deterministic line (the same on
 * Linux): bytes through, end of file after the writer closes, O_NONBLOCK
 * and EAGAIN, the 64 KiB capacity, EPIPE with SIGPIPE ignored and caught,
 * fcntl status and descriptor flags, poll, ppoll and select readiness,
 * a select timeout, and with argv[1] "sigpipe" death by SIGPIPE. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t pipe_hits;

static void on_pipe(int sig)
{
	(void)sig;
	pipe_hits++;
}

static void step_bytes_and_eof(void)
{
	int p[2];
	char buf[32];
	ssize_t n;

	pipe(p);
	write(p[1], "hello ", 6);
	write(p[1], "pipe", 4);
	n = read(p[0], buf, sizeof(buf));
	printf("read %zd: %.*s\n", n, (int)n, buf);
	close(p[1]);
	printf("after close: read %zd\n", read(p[0], buf, sizeof(buf)));
	close(p[0]);
}

static void step_nonblock_and_capacity(void)
{
	static char big[4096];
	int p[2], fl;
	long total = 0;
	ssize_t n;

	pipe2(p, O_NONBLOCK | O_CLOEXEC);
	fl = fcntl(p[0], F_GETFL);
	printf("flags: rd %s wr %s, cloexec %d\n", (fl & O_NONBLOCK) ? "nonblock" : "block",
	       (fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY ? "wronly" : "other",
	       fcntl(p[0], F_GETFD));
	n = read(p[0], big, 1);
	printf("empty read: %zd %s\n", n, strerror(errno));
	while ((n = write(p[1], big, sizeof(big))) > 0)
		total += n;
	printf("filled %ld bytes, then %s\n", total, strerror(errno));
	n = write(p[1], big, 1);
	printf("one more byte: %zd %s\n", n, strerror(errno));
	read(p[0], big, 100);
	n = write(p[1], big, 200);
	printf("200 into 100 free: %zd %s\n", n, strerror(errno));
	n = write(p[1], big, 50);
	printf("50 into 100 free: %zd\n", n);
	fcntl(p[0], F_SETFL, 0);
	printf("F_SETFL 0: %s\n", (fcntl(p[0], F_GETFL) & O_NONBLOCK) ? "nonblock" : "block");
	close(p[0]);
	close(p[1]);
}

static void step_epipe(void)
{
	int p[2];
	ssize_t n;

	pipe(p);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	n = write(p[1], "x", 1);
	printf("no reader, SIGPIPE ignored: %zd %s\n", n, strerror(errno));
	signal(SIGPIPE, on_pipe);
	n = write(p[1], "x", 1);
	printf("no reader, SIGPIPE caught: %zd %s hits %d\n", n, strerror(errno), pipe_hits);
	close(p[1]);
}

static void step_fcntl_fds(void)
{
	int p[2], d, d2, r;
	struct stat st;
	ssize_t n;

	pipe(p);
	d = fcntl(p[0], F_DUPFD_CLOEXEC, 10);
	d2 = fcntl(p[0], F_DUPFD, 10);
	printf("dupfd: %d (cloexec %d) %d (cloexec %d)\n", d, fcntl(d, F_GETFD), d2,
	       fcntl(d2, F_GETFD));
	fcntl(d2, F_SETFD, FD_CLOEXEC);
	printf("setfd: %d\n", fcntl(d2, F_GETFD));
	r = fcntl(99, F_GETFD);
	printf("bad fd: %d %s\n", r, strerror(errno));
	fstat(p[0], &st);
	printf("fstat: fifo %d size %lld\n", S_ISFIFO(st.st_mode), (long long)st.st_size);
	n = write(p[0], "x", 1);
	printf("read end write: %zd %s\n", n, strerror(errno));
	close(d);
	close(d2);
	close(p[0]);
	close(p[1]);
}

static void step_poll_select(void)
{
	struct pollfd fds[3];
	struct timespec ts = { 0, 0 };
	struct timeval tv = { 0, 20000 };
	fd_set rd, wr;
	int p[2], n;

	pipe(p);
	fds[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	fds[1] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	fds[2] = (struct pollfd){ .fd = 77, .events = POLLIN };
	n = poll(fds, 3, 0);
	printf("poll empty: %d rd %#x wr %#x bad %#x\n", n, fds[0].revents, fds[1].revents,
	       fds[2].revents);
	write(p[1], "z", 1);
	n = ppoll(fds, 1, &ts, NULL);
	printf("ppoll with a byte: %d rd %#x\n", n, fds[0].revents);
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(p[0], &rd);
	FD_SET(p[1], &wr);
	n = select(p[1] + 1, &rd, &wr, NULL, &tv);
	printf("select: %d rd %d wr %d\n", n, FD_ISSET(p[0], &rd), FD_ISSET(p[1], &wr));
	close(p[1]);
	fds[0].events = POLLIN;
	n = poll(fds, 1, 100);
	printf("poll after close: %d rd %#x\n", n, fds[0].revents);
	read(p[0], &n, 1);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	n = select(p[0] + 1, &rd, NULL, NULL, &tv);
	printf("select at eof: %d rd %d\n", n, FD_ISSET(p[0], &rd));
	close(p[0]);
	tv = (struct timeval){ 0, 30000 };
	n = select(0, NULL, NULL, NULL, &tv);
	printf("select timeout: %d left %ld.%06ld\n", n, (long)tv.tv_sec, (long)tv.tv_usec);
	FD_ZERO(&rd);
	FD_SET(50, &rd);
	n = select(51, &rd, NULL, NULL, &tv);
	printf("select bad fd: %d %s\n", n, strerror(errno));
}

int main(int argc, char **argv)
{
	int p[2];

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && !strcmp(argv[1], "sigpipe")) {
		pipe(p);
		close(p[0]);
		printf("writing to a pipe with no reader\n");
		write(p[1], "x", 1);
		printf("still alive\n");
		return 0;
	}
	step_bytes_and_eof();
	step_nonblock_and_capacity();
	step_epipe();
	step_fcntl_fds();
	step_poll_select();
	return 0;
}
