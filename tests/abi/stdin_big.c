/* A large stdin (4 MiB from the launcher, in whatever pieces the pipe
 * gives) arrives whole and in order: its length and FNV-1a hash. */
#include <stdint.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	static unsigned char buf[65536];
	uint64_t h = 0xcbf29ce484222325ull;
	long long total = 0;
	ssize_t n;

	abi_init(argc, argv);
	while ((n = read(0, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR)) {
		for (ssize_t i = 0; i < n; i++)
			h = (h ^ buf[i]) * 0x100000001b3ull;
		total += n > 0 ? n : 0;
	}
	say("read %lld bytes, fnv1a %016llx, last read %zd", total, (unsigned long long)h, n);
	return 0;
}
