/* PIPE_BUF atomicity: four writers each write 64 records of PIPE_BUF
 * (4096) bytes filled with their own tag into one pipe; the reader gets
 * every record whole (never interleaved), 64 of each tag, 1 MiB in all. A
 * write larger than PIPE_BUF still arrives complete, in order. */
#include <limits.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

#define WRITERS 4
#define RECORDS 64

int main(int argc, char **argv)
{
	static char rec[PIPE_BUF], big[3 * PIPE_BUF + 100], got[3 * PIPE_BUF + 100];
	int p[2], counts[WRITERS] = { 0 }, torn = 0;
	long total = 0;

	abi_init(argc, argv);
	say("PIPE_BUF %d", PIPE_BUF);
	pipe(p);
	for (int w = 0; w < WRITERS; w++) {
		if (xfork() == 0) {
			close(p[0]);
			memset(rec, 'A' + w, sizeof(rec));
			for (int i = 0; i < RECORDS; i++)
				write(p[1], rec, sizeof(rec));
			_exit(0);
		}
	}
	close(p[1]);
	for (;;) {
		ssize_t n = read_full(p[0], rec, sizeof(rec));

		if (n <= 0)
			break;
		total += n;
		if (n != PIPE_BUF || rec[0] < 'A' || rec[0] >= 'A' + WRITERS) {
			torn++;
			continue;
		}
		for (int i = 1; i < PIPE_BUF; i++)
			if (rec[i] != rec[0]) {
				torn++;
				break;
			}
		counts[rec[0] - 'A']++;
	}
	for (int w = 0; w < WRITERS; w++)
		wait(NULL);
	say("total %ld torn %d counts %d %d %d %d", total, torn, counts[0], counts[1],
	    counts[2], counts[3]);
	close(p[0]);
	pipe(p);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7);
	if (xfork() == 0) {
		write(p[1], big, sizeof(big));
		_exit(0);
	}
	close(p[1]);
	SHOW(read_full(p[0], got, sizeof(got)));
	EXPECT(memcmp(big, got, sizeof(big)) == 0);
	wait(NULL);
	return 0;
}
