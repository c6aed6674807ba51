/* The main thread may end with pthread_exit while other threads go on;
 * the process ends when its last thread does, with that thread's exit
 * status (exit(2) of the last thread). (No join of the main thread: musl
 * cannot join it.) */
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static void *last(void *arg)
{
	usleep(50000);
	say("the worker goes on");
	syscall(SYS_exit, 5);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th;
	pid_t pid;

	abi_init(argc, argv);
	pid = xfork();
	if (pid == 0) {
		pthread_create(&th, NULL, last, NULL);
		pthread_exit(NULL);
	}
	reap(pid);
	return 0;
}
