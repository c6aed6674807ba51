/* EINVAL for arguments out of range: lseek whence, mmap with length 0
 * or unaligned offset or no MAP_PRIVATE/MAP_SHARED, munmap unaligned,
 * mprotect unaligned, madvise advice, clock ids, rlimit resource, kill
 * signal, wait options, dup3 flags, fcntl command, arch_prctl code (a
 * sigprocmask "how" is not checked without a set; opening a directory
 * for writing is EISDIR). */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	struct rlimit rl;
	int fd, st;

	abi_init(argc, argv);
	fd = open(self_path(), O_RDONLY);
	SHOW(lseek(fd, 0, 7));
	SHOW(lseek(fd, -10, SEEK_SET));
	SHOW(syscall(SYS_mmap, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	SHOW(syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE, fd, 100));
	SHOW(syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0));
	SHOW(syscall(SYS_munmap, 4097, 4096));
	SHOW(syscall(SYS_mprotect, 4097, 4096, PROT_READ));
	SHOW(syscall(SYS_madvise, 0x10000, 4096, 9999));
	SHOW(syscall(SYS_getrlimit, 99, &rl));
	SHOW(syscall(SYS_kill, getpid(), 99));
	SHOW(syscall(SYS_wait4, -1, &st, 0x10000, NULL));
	SHOW(syscall(SYS_dup3, fd, 9, 1));
	SHOW(syscall(SYS_fcntl, fd, 12345, 0));
	SHOW(syscall(SYS_rt_sigprocmask, 3, NULL, NULL, 8));
	SHOW(syscall(SYS_clock_getres, -99, NULL));
	SHOW(syscall(SYS_arch_prctl, 0x9999, 0));
	SHOW(syscall(SYS_openat, AT_FDCWD, "/", O_WRONLY));
	return 0;
}
