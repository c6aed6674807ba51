/*
 * gzip of a 16 MiB file and gunzip back on the writable volume
 * (help_fs_gzip.sh): the file, written by this program ("gen N": N bytes
 * of deterministic text on stdout), has the same size and sha256 after
 * the round trip; gzip and gunzip each replace the file they read.
 * Linux's output is the oracle.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abi.h"

static const char *const words[] = {
	"tessera ", "split ", "kernel ", "file ", "journal ", "commit ", "block ",
	"inode ", "vnode\n", "disk ", "page ", "cache ", "write\n", "read ", "sync ",
};

/* n bytes of text, words picked by a fixed linear congruential sequence. */
static int gen(unsigned long n)
{
	static char buf[65536];
	unsigned long x = 12345;
	size_t len = 0;

	while (n) {
		const char *w;
		size_t wl;

		x = x * 6364136223846793005ul + 1442695040888963407ul;
		w = words[(x >> 33) % (sizeof(words) / sizeof(words[0]))];
		wl = strlen(w) < n ? strlen(w) : n;
		if (len + wl > sizeof(buf)) {
			if (write_all(1, buf, len))
				return 1;
			len = 0;
		}
		memcpy(buf + len, w, wl);
		len += wl;
		n -= wl;
	}
	return write_all(1, buf, len) ? 1 : 0;
}

int main(int argc, char **argv)
{
	abi_init(argc, argv);
	if (argc == 3 && !strcmp(argv[1], "gen"))
		return gen(strtoul(argv[2], NULL, 10));
	return sh_script("help_fs_gzip.sh");
}
