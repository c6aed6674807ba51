/* tgkill sends a signal to one thread: its handler runs in that thread
 * (gettid in the handler is the target's), with SI_TKILL; a thread id of
 * another process, or of a thread that has ended, is ESRCH. */
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"

static volatile int hits, code;
static volatile long handler_tid;
static long worker_tid;
static volatile int stop;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	handler_tid = syscall(SYS_gettid);
	code = si->si_code;
	hits++;
}

static void *worker(void *arg)
{
	__atomic_store_n(&worker_tid, syscall(SYS_gettid), __ATOMIC_SEQ_CST);
	while (!stop)
		usleep(1000);
	return NULL;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	pthread_t th;
	pid_t other;
	long tid;

	abi_init(argc, argv);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	pthread_create(&th, NULL, worker, NULL);
	while (!(tid = __atomic_load_n(&worker_tid, __ATOMIC_SEQ_CST)))
		usleep(1000);
	SHOW(syscall(SYS_tgkill, getpid(), tid, SIGUSR1));
	wait_until(&hits, 1);
	say("hits %d, in the worker: %d, SI_TKILL: %d", hits, handler_tid == tid,
	    code == SI_TKILL);
	say("worker is not main: %d", tid != getpid());
	SHOW(syscall(SYS_tgkill, getpid(), tid, 0));
	other = xfork();
	if (other == 0) {
		pause();
		_exit(0);
	}
	SHOW(syscall(SYS_tgkill, other, tid, 0));
	kill(other, SIGKILL);
	reap(other);
	stop = 1;
	pthread_join(th, NULL);
	SHOW(syscall(SYS_tgkill, getpid(), tid, 0));
	SHOW(syscall(SYS_tkill, tid, SIGUSR1));
	SHOW(syscall(SYS_tkill, getpid(), SIGUSR1));
	say("hits %d, in main: %d", hits, handler_tid == getpid());
	return 0;
}
