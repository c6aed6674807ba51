/* fork from a thread: the child is a copy with one thread (the caller),
 * its memory as the parent's at the fork; the parent's other threads go
 * on; the child can make threads of its own. */
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static int shared_value = 1;

static void *child_thread(void *arg)
{
	return (void *)(long)(shared_value * 10);
}

static void *forker(void *arg)
{
	pid_t pid;

	shared_value = 2;
	pid = xfork();
	if (pid == 0) {
		pthread_t th;
		void *r;

		pthread_create(&th, NULL, child_thread, NULL);
		pthread_join(th, &r);
		say("child: value %d, its thread returned %ld", shared_value, (long)r);
		_exit(3);
	}
	reap(pid);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th;

	abi_init(argc, argv);
	pthread_create(&th, NULL, forker, NULL);
	pthread_join(th, NULL);
	say("parent: value %d", shared_value);
	return 0;
}
