/* Two threads play ping-pong through one mutex and two condition
 * variables for 10000 rounds: every round is seen in order by both. */
#include <pthread.h>

#include "abi.h"

#define ROUNDS 10000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t to_pong = PTHREAD_COND_INITIALIZER, to_ping = PTHREAD_COND_INITIALIZER;
static int ball, turn; /* turn 0: ping's, 1: pong's */
static int pong_bad;

static void *pong(void *arg)
{
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		while (turn != 1)
			pthread_cond_wait(&to_pong, &lock);
		pong_bad += ball != 2 * i + 1;
		ball++;
		turn = 0;
		pthread_cond_signal(&to_ping);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th;
	int ping_bad = 0;

	abi_init(argc, argv);
	SHOW(pthread_create(&th, NULL, pong, NULL));
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		while (turn != 0)
			pthread_cond_wait(&to_ping, &lock);
		ping_bad += ball != 2 * i;
		ball++;
		turn = 1;
		pthread_cond_signal(&to_pong);
		pthread_mutex_unlock(&lock);
	}
	SHOW(pthread_join(th, NULL));
	pthread_mutex_lock(&lock);
	while (turn != 0)
		pthread_cond_wait(&to_ping, &lock);
	pthread_mutex_unlock(&lock);
	say("ball %d, out of order: ping %d pong %d", ball, ping_bad, pong_bad);
	return 0;
}
