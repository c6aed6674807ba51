/* CPU-bound threads: spinners N WORK runs N threads (default 2), each
 * doing WORK million rounds of integer mixing (default 200), then prints
 * one line with the combined result, the same on any machine. The bench
 * times it on one CPU and on two; scenario smp-threads lists its threads
 * with `tessera ps` while they run. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_THREADS 64

static unsigned long work;
static unsigned long results[MAX_THREADS];

static void *spin(void *arg)
{
	unsigned long i = (unsigned long)arg, x = i + 1;

	for (unsigned long r = 0; r < work * 1000000ul; r++)
		x = x * 6364136223846793005ul + 1442695040888963407ul;
	results[i] = x;
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2;
	pthread_t th[MAX_THREADS];
	unsigned long sum = 0;

	work = argc > 2 ? strtoul(argv[2], NULL, 10) : 200;
	if (n < 1 || n > MAX_THREADS) {
		fprintf(stderr, "spinners: 1 to %d threads\n", MAX_THREADS);
		return 2;
	}
	for (long i = 0; i < n; i++)
		if (pthread_create(&th[i], NULL, spin, (void *)i)) {
			fprintf(stderr, "spinners: pthread_create failed\n");
			return 1;
		}
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < n; i++)
		sum ^= results[i];
	printf("spinners: %d threads, %lu M rounds each, result %016lx\n", n, work, sum);
	return 0;
}
