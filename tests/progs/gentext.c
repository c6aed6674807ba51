/* Writes N MiB (argv[1], default 32) of deterministic text to stdout:
 * lines of 1 to 8 words drawn (Zipf-like, from a fixed xorshift sequence)
 * from a vocabulary of 4096 made-up words. The input of the sort and word
 * count workloads, made the same on the build host and in a Linux guest. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define VOCAB 4096

static uint64_t state = 88172645463325252ull;

static uint64_t next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

/* Word w: 2 to 9 letters spelled from w's bits. */
static int spell(unsigned w, char *out)
{
	uint64_t h = (w + 1) * 0x9e3779b97f4a7c15ull;
	int len = 2 + (int)(h % 8);

	for (int i = 0; i < len; i++, h /= 26)
		out[i] = (char)('a' + h % 26);
	return len;
}

int main(int argc, char **argv)
{
	unsigned long mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 32;
	unsigned long long left = (unsigned long long)mib << 20;
	char line[128];

	while (left) {
		int n = 0, words = 1 + (int)(next() % 8);

		for (int i = 0; i < words; i++) {
			unsigned r = (unsigned)(next() % VOCAB);
			unsigned w = (unsigned)((uint64_t)r * r / VOCAB); /* skew to low words */

			if (i)
				line[n++] = ' ';
			n += spell(w, line + n);
		}
		line[n++] = '\n';
		if ((unsigned long long)n > left) {
			n = (int)left;
			line[n - 1] = '\n';
		}
		fwrite(line, 1, (size_t)n, stdout);
		left -= (unsigned long long)n;
	}
	return 0;
}
