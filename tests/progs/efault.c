/* write(1, (void *)1, 10) must fail with EFAULT, not kill the process or
 * the kernel. Prints "efault: ok" and exits 0 if so. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	volatile uintptr_t bad = 1;
	ssize_t r = write(1, (const void *)bad, 10);
	int err = errno;

	if (r == -1 && err == EFAULT) {
		printf("efault: ok\n");
		return 0;
	}
	printf("efault: FAIL (write returned %zd, errno %d %s)\n", r, err,
	       strerror(err));
	return 1;
}
