/* MAP_SHARED|MAP_ANONYMOUS memory is shared across fork (both ways, and
 * with a grandchild), MAP_PRIVATE memory is not; a shared page keeps
 * being shared after the parent writes it again. */
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	volatile int *sh = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
				-1, 0);
	volatile int *pr = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				-1, 0);
	int p[2], q[2];
	pid_t kid;
	char c;

	abi_init(argc, argv);
	if (sh == MAP_FAILED || pr == MAP_FAILED) {
		say("mmap: %s", ename(errno));
		return 1;
	}
	sh[0] = 1;
	sh[1024] = 10;
	pr[0] = 100;
	pipe(p);
	pipe(q);
	kid = xfork();
	if (kid == 0) {
		sh[0] = 2;
		sh[1024] = 20;
		pr[0] = 200;
		write(p[1], "1", 1);
		read(q[0], &c, 1);
		say("child sees parent's write: %d", sh[0]);
		if (xfork() == 0) {
			sh[1] = 77;
			_exit(0);
		}
		wait(NULL);
		_exit(0);
	}
	read(p[0], &c, 1);
	say("parent sees child's writes: %d %d, private %d", sh[0], sh[1024], pr[0]);
	sh[0] = 3;
	write(q[1], "2", 1);
	reap(kid);
	say("grandchild's write: %d", sh[1]);
	SHOW(munmap((void *)sh, 8192));
	return 0;
}
