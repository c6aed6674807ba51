/* Signal masks are per thread: a signal sent to the process is taken by
 * a thread that does not block it; a thread's pthread_sigmask does not
 * change another's; a new thread starts with its creator's mask. */
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"

static volatile int hits;
static volatile long taker;
static long worker_tid;
static volatile int stop;
static int worker_blocked_usr2;

static void on_usr1(int sig)
{
	taker = syscall(SYS_gettid);
	hits++;
}

static void *worker(void *arg)
{
	sigset_t cur, un;

	pthread_sigmask(SIG_SETMASK, NULL, &cur);
	worker_blocked_usr2 = sigismember(&cur, SIGUSR2);
	sigemptyset(&un);
	sigaddset(&un, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &un, NULL);
	__atomic_store_n(&worker_tid, syscall(SYS_gettid), __ATOMIC_SEQ_CST);
	while (!stop)
		usleep(1000);
	return NULL;
}

int main(int argc, char **argv)
{
	sigset_t set, cur;
	pthread_t th;
	long tid;

	abi_init(argc, argv);
	signal(SIGUSR1, on_usr1);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	pthread_create(&th, NULL, worker, NULL);
	while (!(tid = __atomic_load_n(&worker_tid, __ATOMIC_SEQ_CST)))
		usleep(1000);
	say("the worker started with SIGUSR2 blocked: %d", worker_blocked_usr2);
	pthread_sigmask(SIG_SETMASK, NULL, &cur);
	say("main still blocks SIGUSR1: %d", sigismember(&cur, SIGUSR1));
	SHOW(kill(getpid(), SIGUSR1));
	wait_until(&hits, 1);
	say("hits %d, taken by the worker: %d", hits, taker == tid);
	stop = 1;
	pthread_join(th, NULL);
	return 0;
}
