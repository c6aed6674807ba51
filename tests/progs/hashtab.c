/* Random access: an open-addressing hash table of N MiB (argv[1], default
 * 16) of 16-byte slots; OPS keys (argv[2], default 16384) from a fixed
 * xorshift sequence are inserted (linear probing), then looked up again in
 * another order. Each operation lands on a random page of the table.
 * Prints one line with the count found and a checksum; exits 0 only if
 * every key was found with its value. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct slot {
	uint64_t key, value;
};

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static struct slot *probe(struct slot *t, size_t mask, uint64_t key)
{
	size_t i = (size_t)(key * 0x9e3779b97f4a7c15ull >> 17) & mask;

	while (t[i].key && t[i].key != key)
		i = (i + 1) & mask;
	return &t[i];
}

/* The i-th key of the run: distinct, never 0 (0 marks an empty slot). */
static uint64_t key_of(uint64_t i)
{
	uint64_t s = (i + 1) * 0x2545f4914f6cdd1dull;

	return xorshift(&s) | 1;
}

int main(int argc, char **argv)
{
	unsigned long mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 16;
	unsigned long ops = argc > 2 ? strtoul(argv[2], NULL, 0) : 16384;
	size_t slots = mib * 1024 * 1024 / sizeof(struct slot);
	struct slot *t = calloc(slots, sizeof(struct slot));
	uint64_t sum = 0, found = 0;

	if (!t || slots & (slots - 1) || ops >= slots / 2) {
		printf("hashtab: bad size %lu MiB / %lu ops\n", mib, ops);
		return 2;
	}
	for (uint64_t i = 0; i < ops; i++) {
		struct slot *s = probe(t, slots - 1, key_of(i));

		s->key = key_of(i);
		s->value = i;
	}
	for (uint64_t j = 0; j < ops; j++) {
		uint64_t i = j * 7919 % ops;
		struct slot *s = probe(t, slots - 1, key_of(i));

		found += s->key == key_of(i) && s->value == i;
		sum = (sum ^ s->value ^ (uint64_t)(s - t)) * 0x100000001b3ull;
	}
	printf("hashtab: %lu MiB %lu ops found %llu checksum %016llx %s\n", mib, ops,
	       (unsigned long long)found, (unsigned long long)sum,
	       found == ops ? "ok" : "MISMATCH");
	free(t);
	return found == ops ? 0 : 1;
}
