/* FUTEX_WAKE_BITSET wakes only waiters whose bitset it meets: of two
 * waiters with bitsets 1 and 2, a wake with 2 reaches only the second,
 * and a plain FUTEX_WAKE (all bits) the first. */
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"
#include "futex.h"

static uint32_t word;
static int woke[3];

static void *waiter(void *arg)
{
	long bits = (long)arg;

	while (syscall(SYS_futex, &word, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, bits) == -1 &&
	       errno == EINTR)
		;
	__atomic_store_n(&woke[bits], 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static int wake_until_one(int op, uint32_t bits)
{
	long r;

	while ((r = syscall(SYS_futex, &word, op, 1, NULL, NULL, bits)) == 0)
		usleep(1000);
	return (int)r;
}

int main(int argc, char **argv)
{
	pthread_t a, b;

	abi_init(argc, argv);
	pthread_create(&a, NULL, waiter, (void *)1);
	pthread_create(&b, NULL, waiter, (void *)2);
	say("wake bitset 2: %d", wake_until_one(FUTEX_WAKE_BITSET_PRIVATE, 2));
	pthread_join(b, NULL);
	say("bitset 2 woke: %d, bitset 1 still waits: %d", woke[2], !woke[1]);
	SHOW(syscall(SYS_futex, &word, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 4));
	say("plain wake: %d", wake_until_one(FUTEX_WAKE_PRIVATE, 0));
	pthread_join(a, NULL);
	say("bitset 1 woke: %d", woke[1]);
	return 0;
}
