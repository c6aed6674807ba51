/* pipe2: O_CLOEXEC sets FD_CLOEXEC on both ends, O_NONBLOCK makes an
 * empty read EAGAIN and shows in F_GETFL (with the access modes O_RDONLY
 * and O_WRONLY); other flags are EINVAL; a bad array pointer is EFAULT;
 * pipe() is pipe2(fds, 0). */
#include <fcntl.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	int p[2];
	int *volatile bad = (int *)8;
	char c;

	abi_init(argc, argv);
	SHOW(pipe2(p, O_CLOEXEC));
	say("cloexec: %d %d", fcntl(p[0], F_GETFD), fcntl(p[1], F_GETFD));
	say("flags: 0%o 0%o", fcntl(p[0], F_GETFL), fcntl(p[1], F_GETFL));
	close(p[0]);
	close(p[1]);
	SHOW(pipe2(p, O_NONBLOCK));
	say("flags: 0%o 0%o", fcntl(p[0], F_GETFL), fcntl(p[1], F_GETFL));
	SHOW(read(p[0], &c, 1));
	SHOW(write(p[1], "z", 1));
	SHOW(read(p[0], &c, 1));
	close(p[0]);
	close(p[1]);
	SHOW(pipe2(p, O_APPEND));
	SHOW(pipe2(p, 0x80000000));
	SHOW(pipe2(bad, 0));
	SHOW(pipe(bad));
	SHOW(pipe(p));
	say("flags: 0%o 0%o cloexec %d", fcntl(p[0], F_GETFL), fcntl(p[1], F_GETFL),
	    fcntl(p[0], F_GETFD));
	SHOW(write(p[0], "x", 1));
	SHOW(read(p[1], &c, 1));
	return 0;
}
