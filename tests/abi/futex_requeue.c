/* FUTEX_CMP_REQUEUE wakes val waiters of the first word and moves up to
 * val2 of the rest to the second; a wake of the second word then reaches
 * the moved ones and the first word has no waiters left. */
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"
#include "futex.h"

#define WAITERS 5

static uint32_t from, to;
static int back;

static void *waiter(void *arg)
{
	while (fx(&from, FUTEX_WAIT_PRIVATE, 0, 0, NULL, 0) == -1 && errno == EINTR)
		;
	__atomic_add_fetch(&back, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[WAITERS];
	int moved = 0, woken = 0, first = 1;

	abi_init(argc, argv);
	for (long i = 0; i < WAITERS; i++)
		pthread_create(&th[i], NULL, waiter, NULL);
	/* Move every waiter to "to", waking the first one found. */
	while (moved + woken < WAITERS) {
		long r = fx(&from, FUTEX_CMP_REQUEUE_PRIVATE, first, (void *)(long)INT_MAX, &to, 0);

		if (r > 0 && first) {
			woken = 1;
			r -= 1;
			first = 0;
		}
		moved += (int)r;
		if (moved + woken < WAITERS)
			usleep(1000);
	}
	say("woken by the requeue %d, moved %d", woken, moved);
	SHOW(fx(&from, FUTEX_WAKE_PRIVATE, INT_MAX, 0, NULL, 0));
	while (woken < WAITERS) {
		long r = fx(&to, FUTEX_WAKE_PRIVATE, INT_MAX, 0, NULL, 0);

		woken += (int)r;
		if (!r)
			usleep(1000);
	}
	for (int i = 0; i < WAITERS; i++)
		pthread_join(th[i], NULL);
	say("woken in all %d, back %d", woken, back);
	SHOW(fx(&from, FUTEX_REQUEUE_PRIVATE, 0, 0, &to, 0));
	return 0;
}
