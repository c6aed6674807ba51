/* stdin as the launcher gives it (tests/abi/RUN feeds a few lines): a
 * pipe, not a terminal; read returns the lines and then end of file;
 * lines are counted and echoed. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	char buf[4096];
	struct stat st;
	ssize_t n;
	int lines = 0;

	abi_init(argc, argv);
	fstat(0, &st);
	say("stdin is a fifo: %d, a tty: %d", S_ISFIFO(st.st_mode), isatty(0));
	n = read_full(0, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
		say("line %d: %s", ++lines, l);
	SHOW(read(0, buf, 1));
	return 0;
}
