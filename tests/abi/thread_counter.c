/* Four threads each add 100000 to a counter under a mutex: the total is
 * exact (the mutex's futex waits and wakes hand the lock over). */
#include <pthread.h>

#include "abi.h"

#define THREADS 4
#define ADDS 100000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *adder(void *arg)
{
	for (int i = 0; i < ADDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return arg;
}

int main(int argc, char **argv)
{
	pthread_t th[THREADS];
	int ok = 1;

	abi_init(argc, argv);
	for (long i = 0; i < THREADS; i++)
		SHOW(pthread_create(&th[i], NULL, adder, (void *)i));
	for (long i = 0; i < THREADS; i++) {
		void *r;

		pthread_join(th[i], &r);
		ok &= r == (void *)i;
	}
	say("counter %ld", counter);
	say("each returned its argument: %d", ok);
	return 0;
}
