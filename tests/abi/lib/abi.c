/* Helpers of the differential ABI suite; see abi.h. */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *abi_argv0 = "";

void abi_init(int argc, char **argv)
{
	if (argc > 0)
		abi_argv0 = argv[0];
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *b = buf;

	while (len) {
		ssize_t w = write(fd, b, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		len -= (size_t)w;
	}
	return 0;
}

ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = read(fd, (char *)buf + got, len - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

void say(const char *fmt, ...)
{
	char line[1024];
	int saved = errno;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	write_all(1, line, (size_t)n);
	errno = saved;
}

#define E(x) [x] = #x
static const char *const errnames[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
	E(EFAULT), E(ENOTBLK), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV),
	E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY),
	E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK),
	E(EPIPE), E(EDOM), E(ERANGE), E(EDEADLK), E(ENAMETOOLONG), E(ENOLCK),
	E(ENOSYS), E(ENOTEMPTY), E(ELOOP), E(ENOMSG), E(EOVERFLOW),
	E(ENOTSOCK), E(EOPNOTSUPP), E(ETIMEDOUT), E(ENOTCONN),
};

static const char *const signames[] = {
	E(SIGHUP), E(SIGINT), E(SIGQUIT), E(SIGILL), E(SIGTRAP), E(SIGABRT),
	E(SIGBUS), E(SIGFPE), E(SIGKILL), E(SIGUSR1), E(SIGSEGV), E(SIGUSR2),
	E(SIGPIPE), E(SIGALRM), E(SIGTERM), E(SIGSTKFLT), E(SIGCHLD), E(SIGCONT),
	E(SIGSTOP), E(SIGTSTP), E(SIGTTIN), E(SIGTTOU), E(SIGURG), E(SIGXCPU),
	E(SIGXFSZ), E(SIGVTALRM), E(SIGPROF), E(SIGWINCH), E(SIGIO), E(SIGPWR),
	E(SIGSYS),
};
#undef E

const char *ename(int err)
{
	static char buf[16];

	if (err == 0)
		return "ok";
	if (err > 0 && (size_t)err < COUNT(errnames) && errnames[err])
		return errnames[err];
	snprintf(buf, sizeof(buf), "E#%d", err);
	return buf;
}

const char *sname(int sig)
{
	static char buf[16];

	if (sig > 0 && (size_t)sig < COUNT(signames) && signames[sig])
		return signames[sig];
	snprintf(buf, sizeof(buf), "SIG#%d", sig);
	return buf;
}

const char *status_str(int st)
{
	static char buf[64];

	if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exited %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "killed by %s%s", sname(WTERMSIG(st)),
			 WCOREDUMP(st) ? " (core)" : "");
	else if (WIFSTOPPED(st))
		snprintf(buf, sizeof(buf), "stopped by %s", sname(WSTOPSIG(st)));
	else if (WIFCONTINUED(st))
		snprintf(buf, sizeof(buf), "continued");
	else
		snprintf(buf, sizeof(buf), "status 0x%x", st);
	return buf;
}

long show(const char *what, long r)
{
	if (r < 0)
		say("%s = -1 %s", what, ename(errno));
	else
		say("%s = %ld", what, r);
	return r;
}

long check(const char *what, long r)
{
	if (r < 0)
		say("%s: %s", what, ename(errno));
	else
		say("%s: ok", what);
	return r;
}

bool expect(const char *what, bool cond)
{
	say("%s: %s", what, cond ? "yes" : "no");
	return cond;
}

pid_t xfork(void)
{
	pid_t kid = fork();

	if (kid < 0) {
		say("fork: %s", ename(errno));
		exit(1);
	}
	return kid;
}

int reap(pid_t pid)
{
	int st = 0;
	pid_t r;

	do
		r = waitpid(pid, &st, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		say("child: %s", ename(errno));
		return -1;
	}
	say("child: %s", status_str(st));
	return st;
}

const char *self_path(void)
{
	return abi_argv0;
}

/* "-glibc" or "-musl": the end of this program's name. */
static const char *abi_suffix(void)
{
	const char *dash = strrchr(abi_argv0, '-');

	return dash && !strchr(dash, '/') ? dash : "";
}

static const char *abi_path_of(const char *name, const char *suffix)
{
	static char buf[4][512];
	static int next;
	const char *slash = strrchr(abi_argv0, '/');
	int dir = slash ? (int)(slash - abi_argv0) : 0;
	char *b = buf[next++ % 4];

	snprintf(b, sizeof(buf[0]), "%.*s%s%s%s", dir, abi_argv0, slash ? "/" : "", name,
		 suffix);
	return b;
}

const char *sibling(const char *name)
{
	return abi_path_of(name, abi_suffix());
}

const char *beside(const char *name)
{
	return abi_path_of(name, "");
}

long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int wait_until(volatile int *flag, int value)
{
	struct timespec step = { 0, 5 * 1000 * 1000 };

	for (int i = 0; i < 2000 && *flag < value; i++)
		nanosleep(&step, NULL);
	return *flag;
}

int sh_script(const char *name)
{
	static char dir[520];
	char *argv[] = { "sh", (char *)beside(name), dir, (char *)abi_argv0, NULL };

	snprintf(dir, sizeof(dir), "%s.d", abi_argv0);
	execv("/bin/busybox", argv);
	say("exec: %s", ename(errno));
	return 1;
}
