/* sigaltstack: a handler with SA_ONSTACK runs on the alternate stack
 * (a local's address is inside it, sigaltstack reports SS_ONSTACK
 * there and SS_ONSTACK cannot be changed then: EPERM), one without it on
 * the normal stack; a stack overflow's SIGSEGV is caught on it; too small
 * a stack is ENOMEM, bad flags EINVAL; SS_DISABLE turns it off. */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static char *alt;
static size_t alt_size = 64 * 1024;
static volatile int on_alt, flags_inside, change_inside;

static void on_usr(int sig)
{
	char here;
	stack_t ss, other = { .ss_sp = alt, .ss_size = alt_size };

	on_alt = &here >= alt && &here < alt + alt_size;
	sigaltstack(NULL, &ss);
	flags_inside = ss.ss_flags;
	change_inside = sigaltstack(&other, NULL) < 0 ? errno : 0;
}

static void on_segv(int sig)
{
	char here;

	say("overflow caught on the alternate stack: %d", &here >= alt && &here < alt + alt_size);
	_exit(3);
}

static volatile int forever = 1;

static int recurse(int n)
{
	volatile char pad[1024];

	pad[0] = (char)n;
	return forever ? recurse(n + 1) + pad[0] : 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	stack_t ss, old;
	pid_t kid;

	abi_init(argc, argv);
	alt = malloc(alt_size);
	SHOW(sigaltstack(NULL, &old));
	say("initially disabled: %d", (old.ss_flags & SS_DISABLE) != 0);
	ss = (stack_t){ .ss_sp = alt, .ss_size = 1024, .ss_flags = 0 };
	SHOW(sigaltstack(&ss, NULL));
	ss = (stack_t){ .ss_sp = alt, .ss_size = alt_size, .ss_flags = 0x100 };
	SHOW(sigaltstack(&ss, NULL));
	ss.ss_flags = 0;
	SHOW(sigaltstack(&ss, NULL));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_flags = 0;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR1);
	say("SA_ONSTACK: on alt %d, flags 0x%x, change inside %s", on_alt, flags_inside,
	    change_inside ? ename(change_inside) : "ok");
	raise(SIGUSR2);
	say("no SA_ONSTACK: on alt %d, flags 0x%x", on_alt, flags_inside);
	sigaltstack(NULL, &old);
	say("outside: flags 0x%x, size ok %d", old.ss_flags, old.ss_size == alt_size);
	kid = xfork();
	if (kid == 0) {
		struct rlimit rl = { 1 << 20, 1 << 20 };

		setrlimit(RLIMIT_STACK, &rl);
		sa.sa_handler = on_segv;
		sa.sa_flags = SA_ONSTACK;
		sigaction(SIGSEGV, &sa, NULL);
		recurse(0);
		_exit(0);
	}
	reap(kid);
	ss.ss_flags = SS_DISABLE;
	SHOW(sigaltstack(&ss, NULL));
	sigaltstack(NULL, &old);
	say("disabled again: %d", (old.ss_flags & SS_DISABLE) != 0);
	return 0;
}
