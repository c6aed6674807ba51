/* select: readiness of pipe ends in the read and write sets (unready
 * bits cleared, the count of set bits returned); end of file is
 * readable; a closed fd in a set is EBADF; negative nfds EINVAL; a
 * zero timeout polls; exceptfds stay empty for pipes. */
#include <sys/select.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	struct timeval zero = { 0, 0 }, neg = { -1, 0 };
	fd_set rd, wr, ex;
	int p[2];

	abi_init(argc, argv);
	pipe(p);
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_ZERO(&ex);
	FD_SET(p[0], &rd);
	FD_SET(p[1], &wr);
	FD_SET(p[0], &ex);
	SHOW(select(p[1] + 1, &rd, &wr, &ex, &zero));
	say("rd %d wr %d ex %d", FD_ISSET(p[0], &rd), FD_ISSET(p[1], &wr), FD_ISSET(p[0], &ex));
	write(p[1], "x", 1);
	FD_SET(p[0], &rd);
	FD_SET(p[1], &wr);
	zero = (struct timeval){ 0, 0 };
	SHOW(select(p[1] + 1, &rd, &wr, NULL, &zero));
	say("rd %d wr %d", FD_ISSET(p[0], &rd), FD_ISSET(p[1], &wr));
	close(p[1]);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	zero = (struct timeval){ 0, 0 };
	SHOW(select(p[0] + 1, &rd, NULL, NULL, &zero));
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	SHOW(select(p[0] + 1, &rd, NULL, NULL, NULL));
	FD_ZERO(&rd);
	FD_SET(p[1], &rd);
	zero = (struct timeval){ 0, 0 };
	SHOW(select(p[1] + 1, &rd, NULL, NULL, &zero));
	SHOW(select(-1, NULL, NULL, NULL, &zero));
	FD_ZERO(&rd);
	SHOW(select(1, &rd, NULL, NULL, &neg));
	zero = (struct timeval){ 0, 0 };
	SHOW(select(0, NULL, NULL, NULL, &zero));
	return 0;
}
