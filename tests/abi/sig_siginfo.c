/* SA_SIGINFO handlers get a siginfo and a ucontext: kill gives SI_USER
 * with the sender's pid and uid; sigqueue gives SI_QUEUE with the value;
 * raise (tgkill) gives SI_TKILL; a child's exit gives SIGCHLD with
 * CLD_EXITED, its pid and status. */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static siginfo_t last;
static volatile int hits;
static volatile int had_uc;

static void on_info(int sig, siginfo_t *si, void *uc)
{
	last = *si;
	had_uc = uc != NULL;
	hits++;
}

static const char *code_name(int c)
{
	switch (c) {
	case SI_USER: return "SI_USER";
	case SI_QUEUE: return "SI_QUEUE";
	case SI_TKILL: return "SI_TKILL";
	case SI_KERNEL: return "SI_KERNEL";
	case CLD_EXITED: return "CLD_EXITED";
	default: return "other";
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	union sigval v = { .sival_int = 42 };
	pid_t kid;

	abi_init(argc, argv);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	kill(getpid(), SIGUSR1);
	say("kill: %s %s pid-ok %d uid %d uc %d", sname(last.si_signo), code_name(last.si_code),
	    last.si_pid == getpid(), (int)last.si_uid, had_uc);
	sigqueue(getpid(), SIGUSR2, v);
	say("sigqueue: %s %s value %d pid-ok %d", sname(last.si_signo), code_name(last.si_code),
	    last.si_value.sival_int, last.si_pid == getpid());
	raise(SIGUSR1);
	say("raise: %s %s", sname(last.si_signo), code_name(last.si_code));
	hits = 0;
	kid = xfork();
	if (kid == 0)
		_exit(17);
	wait_until(&hits, 1);
	say("child: %s %s pid-ok %d status %d", sname(last.si_signo), code_name(last.si_code),
	    last.si_pid == kid, last.si_status);
	reap(kid);
	return 0;
}
