/* tgkill and tkill deliver to a thread (here the only one): the handler
 * sees SI_TKILL; a wrong thread group is ESRCH, an invalid signal EINVAL,
 * a non-positive tid EINVAL; signal 0 checks the thread. */
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"

static volatile int hits, code;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	hits++;
	code = si->si_code;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	long tid;

	abi_init(argc, argv);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	tid = syscall(SYS_gettid);
	SHOW(syscall(SYS_tgkill, getpid(), tid, SIGUSR1));
	say("hits %d, SI_TKILL %d", hits, code == SI_TKILL);
	SHOW(syscall(SYS_tkill, tid, SIGUSR1));
	say("hits %d", hits);
	SHOW(syscall(SYS_tgkill, getpid(), tid, 0));
	SHOW(syscall(SYS_tgkill, getpid() + 100000000, tid, SIGUSR1));
	SHOW(syscall(SYS_tgkill, getpid(), tid, 99));
	SHOW(syscall(SYS_tgkill, getpid(), 0, SIGUSR1));
	SHOW(syscall(SYS_tkill, -5, SIGUSR1));
	return 0;
}
