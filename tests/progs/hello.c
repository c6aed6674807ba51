/* Prints one line and exits 0: the first program a new kernel runs. Built
 * three ways (musl static, glibc static, glibc static-pie). */
#include <stdio.h>

int main(void)
{
	printf("hello, world\n");
	return 0;
}
