/* errno is per thread: a failing call in one thread leaves another
 * thread's errno as it was. */
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include "abi.h"

static pthread_barrier_t bar;
static int seen[2];

static void *fail_with(void *arg)
{
	long which = (long)arg;

	errno = 0;
	pthread_barrier_wait(&bar);
	if (which == 0)
		open("/nonexistent/file", O_RDONLY);
	else
		close(-1);
	pthread_barrier_wait(&bar);
	seen[which] = errno;
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t a, b;

	abi_init(argc, argv);
	pthread_barrier_init(&bar, NULL, 3);
	pthread_create(&a, NULL, fail_with, (void *)0);
	pthread_create(&b, NULL, fail_with, (void *)1);
	errno = 0;
	pthread_barrier_wait(&bar);
	pthread_barrier_wait(&bar);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	say("thread 0: %s, thread 1: %s, main: %s", ename(seen[0]), ename(seen[1]), ename(errno));
	return 0;
}
