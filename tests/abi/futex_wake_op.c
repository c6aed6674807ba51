/* FUTEX_WAKE_OP changes the second word atomically (set, add, or, andn,
 * xor, with a shifted argument), wakes waiters of the first word, and
 * wakes those of the second if the comparison of its old value holds;
 * an unknown operation or comparison is ENOSYS. */
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"
#include "futex.h"

static uint32_t w1, w2;

static long wake_op(int n1, int n2, uint32_t op)
{
	return syscall(SYS_futex, &w1, FUTEX_WAKE_OP_PRIVATE, n1, (void *)(long)n2, &w2, op);
}

static void *waiter(void *arg)
{
	while (syscall(SYS_futex, &w1, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0) == -1 &&
	       errno == EINTR)
		;
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th;
	long r;

	abi_init(argc, argv);
	SHOW(wake_op(1, 1, FUTEX_OP(FUTEX_OP_SET, 7, FUTEX_OP_CMP_EQ, 0)));
	say("w2 = %u", w2);
	SHOW(wake_op(1, 1, FUTEX_OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_GT, 100)));
	say("w2 = %u", w2);
	SHOW(wake_op(1, 1, FUTEX_OP(FUTEX_OP_OR, 0x100, FUTEX_OP_CMP_NE, 0)));
	say("w2 = %#x", w2);
	SHOW(wake_op(1, 1, FUTEX_OP(FUTEX_OP_ANDN, 0x100, FUTEX_OP_CMP_GE, 0)));
	say("w2 = %#x", w2);
	SHOW(wake_op(1, 1, FUTEX_OP(FUTEX_OP_XOR, 0xf, FUTEX_OP_CMP_LT, 0)));
	say("w2 = %#x", w2);
	SHOW(wake_op(1, 1, FUTEX_OP((FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT), 12, FUTEX_OP_CMP_LE, 0)));
	say("w2 = %#x", w2);
	SHOW(wake_op(1, 1, FUTEX_OP(7, 1, FUTEX_OP_CMP_EQ, 0)));
	SHOW(wake_op(1, 1, FUTEX_OP(FUTEX_OP_SET, 1, 9, 0)));
	say("w2 after the bad comparison = %u", w2);
	pthread_create(&th, NULL, waiter, NULL);
	while ((r = wake_op(1, 1, FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_EQ, 0))) == 0)
		usleep(1000);
	say("a waiter of the first word woken: %ld", r);
	pthread_join(th, NULL);
	return 0;
}
