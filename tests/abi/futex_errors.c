/* futex's error paths: a word that does not hold the value is EAGAIN; a
 * timeout that passes is ETIMEDOUT; a misaligned word, a zero bitset or a
 * bad timespec EINVAL; an unmapped word EFAULT; an unknown operation, or
 * FUTEX_CLOCK_REALTIME on a wake, ENOSYS; a wake with no waiter wakes 0. */
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"
#include "futex.h"

int main(int argc, char **argv)
{
	static uint32_t word[4] = { 5, 0, 0, 0 };
	struct timespec short_ts = { 0, 20000000 }, bad = { 0, 1000000000 }, neg = { -1, 0 };
	struct timespec past = { 0, 1 };
	void *hole = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long long t0;

	abi_init(argc, argv);
	munmap(hole, 4096);
	SHOW(fx(word, FUTEX_WAIT, 4, NULL, NULL, 0));
	SHOW(fx(word, FUTEX_WAIT_PRIVATE, 6, NULL, NULL, 0));
	t0 = mono_ms();
	SHOW(fx(word, FUTEX_WAIT, 5, &short_ts, NULL, 0));
	say("waited >= 20 ms: %d", mono_ms() - t0 >= 19);
	SHOW(fx(word, FUTEX_WAIT_BITSET, 5, &past, NULL, FUTEX_BITSET_MATCH_ANY));
	SHOW(fx(word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 5, &past, NULL, 1));
	SHOW(fx(word, FUTEX_WAIT, 5, &bad, NULL, 0));
	SHOW(fx(word, FUTEX_WAIT, 5, &neg, NULL, 0));
	SHOW(fx((char *)word + 1, FUTEX_WAIT, 5, NULL, NULL, 0));
	SHOW(fx((char *)word + 2, FUTEX_WAKE, 1, NULL, NULL, 0));
	SHOW(fx(word, FUTEX_WAIT_BITSET, 5, NULL, NULL, 0));
	SHOW(fx(word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0));
	SHOW(fx(hole, FUTEX_WAIT, 0, NULL, NULL, 0));
	SHOW(fx(word, FUTEX_WAIT, 5, (void *)hole, NULL, 0));
	SHOW(fx(word, 99, 0, NULL, NULL, 0));
	SHOW(fx(word, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0));
	SHOW(fx(word, FUTEX_WAKE, 1, NULL, NULL, 0));
	SHOW(fx(word, FUTEX_WAKE_PRIVATE, 100, NULL, NULL, 0));
	SHOW(fx(word, FUTEX_CMP_REQUEUE, 1, (void *)1, &word[1], 4));
	SHOW(fx(word, FUTEX_CMP_REQUEUE, 1, (void *)1, &word[1], 5));
	SHOW(fx(word, FUTEX_REQUEUE, 1, (void *)1, (char *)&word[1] + 1, 0));
	SHOW(fx(word, FUTEX_CMP_REQUEUE, 1, (void *)1, hole, 5));
	return 0;
}
