/* exit_group from any thread ends every thread of the process with its
 * status, even ones blocked in a futex wait or a sleep; exit of a thread
 * other than the last ends only that thread. */
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;

static void *sleeper(void *arg)
{
	pthread_mutex_lock(&m);
	for (;;)
		pthread_cond_wait(&never, &m);
	return NULL;
}

static void *napper(void *arg)
{
	for (;;)
		sleep(100);
	return NULL;
}

static void *ender(void *arg)
{
	usleep(20000);
	syscall(SYS_exit_group, 7);
	return NULL;
}

static void *quitter(void *arg)
{
	pthread_exit((void *)9);
}

int main(int argc, char **argv)
{
	pthread_t a, b, c, d;
	pid_t pid;

	abi_init(argc, argv);
	pid = xfork();
	if (pid == 0) {
		pthread_create(&d, NULL, quitter, NULL);
		pthread_join(d, NULL);
		pthread_create(&a, NULL, sleeper, NULL);
		pthread_create(&b, NULL, napper, NULL);
		pthread_create(&c, NULL, ender, NULL);
		for (;;)
			pause();
	}
	reap(pid);
	return 0;
}
