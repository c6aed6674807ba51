/* execve from a process with several threads: the other threads end and
 * the new program runs alone (here help_echo, which prints its argv). */
#include <pthread.h>
#include <unistd.h>

#include "abi.h"

static void *spinner(void *arg)
{
	for (;;)
		usleep(1000);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t a, b;
	char *args[] = { "help_echo", "after", "exec", NULL };
	char *env[] = { NULL };
	pid_t pid;

	abi_init(argc, argv);
	pid = xfork();
	if (pid == 0) {
		pthread_create(&a, NULL, spinner, NULL);
		pthread_create(&b, NULL, spinner, NULL);
		execve(sibling("help_echo"), args, env);
		say("execve: %s", ename(errno));
		_exit(1);
	}
	reap(pid);
	return 0;
}
