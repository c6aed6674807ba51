/* fork copies memory: data, bss, heap and stack written by the child
 * after fork are unchanged in the parent, and the parent's later writes
 * are invisible to the child (which reports what it sees over a pipe). */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static int data_var = 11;
static char bss_buf[8192];

int main(int argc, char **argv)
{
	int stack_var = 22, p[2], q[2];
	char *heap = malloc(100000);
	int seen[4];
	pid_t kid;
	char c;

	abi_init(argc, argv);
	memset(heap, 'h', 100000);
	memset(bss_buf, 'b', sizeof(bss_buf));
	pipe(p);
	pipe(q);
	kid = xfork();
	if (kid == 0) {
		data_var = 111;
		stack_var = 222;
		memset(heap, 'H', 100000);
		memset(bss_buf, 'B', sizeof(bss_buf));
		write(p[1], "w", 1);
		read(q[0], &c, 1);
		/* The parent has written its copies by now. */
		seen[0] = data_var;
		seen[1] = stack_var;
		seen[2] = heap[99999];
		seen[3] = bss_buf[4096];
		write(p[1], seen, sizeof(seen));
		_exit(0);
	}
	read(p[0], &c, 1);
	say("parent after child's writes: %d %d %c %c", data_var, stack_var, heap[99999],
	    bss_buf[4096]);
	data_var = 1;
	stack_var = 2;
	heap[99999] = 'P';
	bss_buf[4096] = 'Q';
	write(q[1], "g", 1);
	read_full(p[0], seen, sizeof(seen));
	say("child after parent's writes: %d %d %c %c", seen[0], seen[1], seen[2], seen[3]);
	reap(kid);
	say("parent at end: %d %d %c %c", data_var, stack_var, heap[99999], bss_buf[4096]);
	return 0;
}
