/* Sixteen threads each create and join threads until 1000 have been made
 * in all; every made thread takes a shared mutex, adds to a counter and
 * signals a condition variable others wait on (futex contention). The
 * count of threads run and the counter are exact. */
#include <pthread.h>

#include "abi.h"

#define SPAWNERS 16
#define TOTAL 1000

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int made, ran;
static long counter;

static void *leaf(void *arg)
{
	pthread_mutex_lock(&m);
	ran++;
	for (int i = 0; i < 100; i++)
		counter++;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&m);
	return arg;
}

/* Take one of the TOTAL thread slots: false when all are gone. */
static int take_slot(void)
{
	int ok;

	pthread_mutex_lock(&m);
	ok = made < TOTAL;
	made += ok;
	pthread_mutex_unlock(&m);
	return ok;
}

static void *spawner(void *arg)
{
	int failed = 0;

	while (take_slot()) {
		pthread_t th;
		void *r;

		if (pthread_create(&th, NULL, leaf, arg)) {
			failed++;
			continue;
		}
		pthread_join(th, &r);
		failed += r != arg;
		pthread_mutex_lock(&m);
		while (ran < made && ran % 7 == 3)
			pthread_cond_wait(&cv, &m);
		pthread_mutex_unlock(&m);
	}
	return (void *)(long)failed;
}

int main(int argc, char **argv)
{
	pthread_t th[SPAWNERS];
	long failed = 0;

	abi_init(argc, argv);
	for (long i = 0; i < SPAWNERS; i++)
		pthread_create(&th[i], NULL, spawner, (void *)i);
	for (int i = 0; i < SPAWNERS; i++) {
		void *r;

		pthread_join(th[i], &r);
		failed += (long)r;
	}
	say("made %d, ran %d, counter %ld, failures %ld", made, ran, counter, failed);
	return 0;
}
