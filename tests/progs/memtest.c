/* Allocates N MiB (argv[1], default 64), writes a pattern over every word,
 * reads it back and prints one line with a checksum of what it read. Exits
 * 0 only if every word matched. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t pattern(uint64_t i)
{
	return (i + 1) * 0x9e3779b97f4a7c15ull ^ (i >> 7);
}

int main(int argc, char **argv)
{
	unsigned long mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 64;
	size_t n = mib * 1024 * 1024 / sizeof(uint64_t);
	uint64_t *m = malloc(n * sizeof(uint64_t));
	uint64_t sum = 0, bad = 0;

	if (!m) {
		printf("memtest: cannot allocate %lu MiB\n", mib);
		return 2;
	}
	for (size_t i = 0; i < n; i++)
		m[i] = pattern(i);
	for (size_t i = 0; i < n; i++) {
		bad += m[i] != pattern(i);
		sum = (sum ^ m[i]) * 0x100000001b3ull;
		sum ^= sum >> 29;
	}
	printf("memtest: %lu MiB checksum %016llx %s\n", mib,
	       (unsigned long long)sum, bad ? "MISMATCH" : "ok");
	free(m);
	return bad ? 1 : 0;
}
