/* FUTEX_WAKE wakes at most the count asked for: four threads wait on one
 * word; wakes of one are repeated until each has been woken; a woken
 * thread returns 0 from FUTEX_WAIT. */
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"
#include "futex.h"

#define WAITERS 4

static uint32_t word;
static int results[WAITERS], done;

static void *waiter(void *arg)
{
	long i = (long)arg;
	long r;

	do
		r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	while (r == -1 && errno == EINTR);
	results[i] = r == 0 ? 0 : errno;
	__atomic_add_fetch(&done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[WAITERS];
	int woken = 0, max_one = 1, bad = 0;

	abi_init(argc, argv);
	for (long i = 0; i < WAITERS; i++)
		pthread_create(&th[i], NULL, waiter, (void *)i);
	while (woken < WAITERS) {
		long r = syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);

		max_one &= r <= 1;
		woken += (int)r;
		if (!r)
			usleep(1000);
	}
	for (int i = 0; i < WAITERS; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < WAITERS; i++)
		bad += results[i] != 0;
	say("woken %d, never more than one per call: %d", woken, max_one);
	say("waiters that returned an error: %d, done %d", bad, done);
	SHOW(syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
	return 0;
}
