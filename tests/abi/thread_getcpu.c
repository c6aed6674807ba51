/* Every thread runs on a CPU of the process's affinity mask: getcpu and
 * sched_getcpu name one of them, node 0; a thread's own affinity is the
 * process's. */
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"

#define THREADS 4

static cpu_set_t set;
static int bad;

static void *body(void *arg)
{
	unsigned cpu = 999, node = 999;
	cpu_set_t mine;

	for (int i = 0; i < 50; i++) {
		if (syscall(SYS_getcpu, &cpu, &node, NULL) || !CPU_ISSET(cpu, &set) || node)
			__atomic_add_fetch(&bad, 1, __ATOMIC_SEQ_CST);
		if (!CPU_ISSET(sched_getcpu(), &set))
			__atomic_add_fetch(&bad, 1, __ATOMIC_SEQ_CST);
		sched_yield();
	}
	CPU_ZERO(&mine);
	sched_getaffinity(0, sizeof(mine), &mine);
	if (!CPU_EQUAL(&mine, &set))
		__atomic_add_fetch(&bad, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[THREADS];

	abi_init(argc, argv);
	CPU_ZERO(&set);
	SHOW(sched_getaffinity(0, sizeof(set), &set));
	for (int i = 0; i < THREADS; i++)
		pthread_create(&th[i], NULL, body, NULL);
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	say("answers outside the mask: %d", bad);
	SHOW(syscall(SYS_getcpu, NULL, NULL, NULL));
	return 0;
}
