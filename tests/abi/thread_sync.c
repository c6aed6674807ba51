/* The other pthread primitives on futexes: a barrier of five threads for
 * 200 rounds, a counting semaphore, a reader-writer lock, pthread_once
 * and thread-specific data with its destructor run at each thread's exit. */
#include <pthread.h>
#include <semaphore.h>

#include "abi.h"

#define THREADS 5
#define ROUNDS 200

static pthread_barrier_t bar;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_key_t key;
static sem_t sem;
static int onces, destructed, round_bad, shared;

static void init_once(void)
{
	onces++;
}

static void destroy(void *v)
{
	__atomic_add_fetch(&destructed, (int)(long)v, __ATOMIC_SEQ_CST);
}

static void *body(void *arg)
{
	pthread_once(&once, init_once);
	pthread_setspecific(key, (void *)1L);
	for (int r = 0; r < ROUNDS; r++) {
		pthread_rwlock_wrlock(&rw);
		shared++;
		pthread_rwlock_unlock(&rw);
		pthread_barrier_wait(&bar);
		pthread_rwlock_rdlock(&rw);
		if (shared != (r + 1) * THREADS)
			__atomic_add_fetch(&round_bad, 1, __ATOMIC_SEQ_CST);
		pthread_rwlock_unlock(&rw);
		pthread_barrier_wait(&bar);
	}
	sem_post(&sem);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[THREADS];

	abi_init(argc, argv);
	pthread_barrier_init(&bar, NULL, THREADS);
	pthread_key_create(&key, destroy);
	sem_init(&sem, 0, 0);
	for (int i = 0; i < THREADS; i++)
		pthread_create(&th[i], NULL, body, NULL);
	for (int i = 0; i < THREADS; i++)
		sem_wait(&sem);
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	say("shared %d, bad rounds %d, once %d, destructors %d", shared, round_bad, onces,
	    destructed);
	return 0;
}
