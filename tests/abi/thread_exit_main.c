/* The main thread may end with pthread_exit while other threads go on;
 * the process ends when its last thread does, with that thread's exit
 * status (exit(2) of the last thread). The worker waits for main's end
 * on main's tid word (set_tid_address: cleared and woken at its exit);
 * it takes no libc lock after that, since musl's thread-list lock is
 * released through that word. */
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "futex.h"

static uint32_t main_word = 1; /* main's tid word: cleared when it ends */

static void *last(void *arg)
{
	uint32_t v;

	while ((v = __atomic_load_n(&main_word, __ATOMIC_SEQ_CST)) != 0)
		fx(&main_word, FUTEX_WAIT, v, NULL, NULL, 0);
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
		syscall(SYS_set_tid_address, &main_word);
		pthread_create(&th, NULL, last, NULL);
		pthread_exit(NULL);
	}
	reap(pid);
	return 0;
}
