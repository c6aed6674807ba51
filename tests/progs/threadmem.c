/* ExCache misses from several threads at once: threadmem T MIB splits MIB
 * MiB (default 64) among T threads (default 4); each writes its part page
 * by page, then reads it back twice and checks it, so that with an
 * ExCache smaller than MIB every pass misses. Prints the combined
 * checksum, the same for any T that divides the pages evenly. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#define PAGE 4096ul
#define MAX_THREADS 64

struct part {
	uint8_t *base;
	unsigned long first, pages; /* global page numbers */
	uint64_t sum;
	int bad;
};

static void *touch(void *arg)
{
	struct part *p = arg;

	for (unsigned long i = 0; i < p->pages; i++)
		*(uint64_t *)(p->base + i * PAGE) = (p->first + i) * 0x9e3779b97f4a7c15ull;
	for (int pass = 0; pass < 2; pass++)
		for (unsigned long i = 0; i < p->pages; i++) {
			uint64_t v = *(uint64_t *)(p->base + i * PAGE);

			p->bad += v != (p->first + i) * 0x9e3779b97f4a7c15ull;
			if (pass)
				p->sum += v;
		}
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 4;
	unsigned long mib = argc > 2 ? strtoul(argv[2], NULL, 10) : 64;
	unsigned long pages = (mib << 20) / PAGE;
	struct part parts[MAX_THREADS];
	pthread_t th[MAX_THREADS];
	uint64_t sum = 0;
	int bad = 0;

	if (n < 1 || n > MAX_THREADS || pages % n) {
		fprintf(stderr, "threadmem: 1 to %d threads that divide the pages\n", MAX_THREADS);
		return 2;
	}
	for (int i = 0; i < n; i++) {
		parts[i] = (struct part){ .first = i * (pages / n), .pages = pages / n };
		parts[i].base = mmap(NULL, parts[i].pages * PAGE, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (parts[i].base == MAP_FAILED || pthread_create(&th[i], NULL, touch, &parts[i])) {
			fprintf(stderr, "threadmem: no memory or no thread\n");
			return 1;
		}
	}
	for (int i = 0; i < n; i++) {
		pthread_join(th[i], NULL);
		sum += parts[i].sum;
		bad += parts[i].bad;
	}
	printf("threadmem: %lu MiB, checksum %016llx %s\n", mib, (unsigned long long)sum,
	       bad ? "BAD" : "ok");
	return bad != 0;
}
