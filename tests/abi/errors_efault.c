/* EFAULT for bad user pointers (NULL+8, an unmapped page, kernel
 * addresses) in every direction, and the calls that fail change
 * nothing: a read into a bad buffer leaves the pipe's bytes readable, a
 * write from one writes nothing. */
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	void *volatile bad = (void *)8;
	void *volatile kern = (void *)0xffff800000000000ull;
	struct iovec iov = { (void *)8, 4 };
	char buf[8];
	int p[2];
	pid_t kid;

	abi_init(argc, argv);
	pipe(p);
	write(p[1], "abcd", 4);
	SHOW(read(p[0], bad, 4));
	SHOW(read(p[0], buf, 4));
	SHOW(write(p[1], bad, 4));
	SHOW(write(p[1], kern, 4));
	write(p[1], "efgh", 4);
	SHOW(readv(p[0], &iov, 1));
	SHOW(read(p[0], buf, 4));
	SHOW(writev(p[1], (struct iovec *)bad, 1));
	SHOW(syscall(SYS_open, bad, O_RDONLY));
	SHOW(syscall(SYS_stat, "/", bad));
	SHOW(syscall(SYS_fstat, p[0], kern));
	SHOW(syscall(SYS_uname, bad));
	SHOW(syscall(SYS_pipe2, bad, 0));
	SHOW(syscall(SYS_rt_sigaction, SIGUSR1, bad, NULL, 8));
	SHOW(syscall(SYS_rt_sigprocmask, SIG_BLOCK, bad, NULL, 8));
	SHOW(syscall(SYS_getcwd, bad, 100));
	SHOW(syscall(SYS_readlink, "/proc/self/exe", bad, 100));
	SHOW(syscall(SYS_getrandom, kern, 8, 0));
	SHOW(syscall(SYS_nanosleep, bad, NULL));
	SHOW(syscall(SYS_execve, bad, NULL, NULL));
	kid = xfork();
	if (kid == 0)
		_exit(0);
	SHOW(syscall(SYS_wait4, kid, bad, 0, NULL));
	SHOW(syscall(SYS_write, 1, "still fine\n", 11));
	return 0;
}
