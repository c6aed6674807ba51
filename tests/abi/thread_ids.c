/* Threads share the process id and have their own thread ids: getpid is
 * the same in every thread, gettid differs and the main thread's is the
 * pid; set_tid_address returns the caller's tid. */
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"

#define THREADS 6

static long tids[THREADS], pids[THREADS];

static void *body(void *arg)
{
	long i = (long)arg;
	tids[i] = syscall(SYS_gettid);
	pids[i] = getpid();
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[THREADS];
	int same_pid = 1, distinct = 1;
	static int dummy;

	abi_init(argc, argv);
	for (long i = 0; i < THREADS; i++) {
		pthread_create(&th[i], NULL, body, (void *)i);
		pthread_join(th[i], NULL); /* one at a time: no tid is reused while alive */
	}
	for (int i = 0; i < THREADS; i++) {
		same_pid &= pids[i] == getpid();
		distinct &= tids[i] != getpid();
		for (int j = 0; j < i; j++)
			distinct &= tids[i] != tids[j];
	}
	say("same pid %d, own tids %d", same_pid, distinct);
	say("main's tid is the pid: %d", syscall(SYS_gettid) == getpid());
	/* Nobody joins main: its tid word may move. */
	say("set_tid_address gives the tid: %d",
	    syscall(SYS_set_tid_address, &dummy) == syscall(SYS_gettid));
	return 0;
}
