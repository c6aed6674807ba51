/* Reads through a NULL pointer: the process must die of SIGSEGV and the
 * kernel that runs it must not. The volatile pointer keeps the compiler
 * from turning the load into a trap instruction. */
#include <stdio.h>

int main(void)
{
	int *volatile p = NULL;

	printf("about to read address 0\n");
	fflush(stdout);
	return *p;
}
