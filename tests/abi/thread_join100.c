/* 100 threads, each returning its own number, are all joined; a joined
 * thread's exit value is what it passed to pthread_exit or returned. */
#include <pthread.h>

#include "abi.h"

#define THREADS 100

static void *body(void *arg)
{
	long i = (long)arg;

	if (i % 2)
		pthread_exit((void *)(i * 10));
	return (void *)(i * 10);
}

int main(int argc, char **argv)
{
	pthread_t th[THREADS];
	long sum = 0, made = 0;

	abi_init(argc, argv);
	for (long i = 0; i < THREADS; i++)
		made += pthread_create(&th[i], NULL, body, (void *)i) == 0;
	for (int i = 0; i < made; i++) {
		void *r;

		if (pthread_join(th[i], &r) == 0)
			sum += (long)r;
	}
	say("made %ld, sum of exit values %ld", made, sum);
	return 0;
}
