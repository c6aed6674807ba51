/* __thread variables start with their initial values in every thread
 * (the TLS image is copied per thread, FS points at each thread's own
 * block), and a thread's writes stay its own. */
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "abi.h"

#define THREADS 8

static __thread int tls_init = 42;
static __thread long tls_zero;
static __thread char tls_str[16] = "tessera";
static int bad[THREADS];

static void *body(void *arg)
{
	long i = (long)arg;

	bad[i] = tls_init != 42 || tls_zero != 0 || strcmp(tls_str, "tessera") != 0;
	tls_init = (int)i;
	tls_zero = i * 3;
	tls_str[0] = 'T';
	sched_yield();
	bad[i] += tls_init != (int)i || tls_zero != i * 3 || tls_str[0] != 'T';
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[THREADS];
	int nbad = 0;

	abi_init(argc, argv);
	tls_init = 7;
	for (long i = 0; i < THREADS; i++)
		pthread_create(&th[i], NULL, body, (void *)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < THREADS; i++)
		nbad += bad[i];
	say("threads with wrong TLS: %d", nbad);
	say("main keeps its own: %d %ld %s", tls_init, tls_zero, tls_str);
	return 0;
}
