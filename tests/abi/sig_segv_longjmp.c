/* A SIGSEGV handler that siglongjmps out: three faults in a row, each
 * caught (the mask is restored by siglongjmp, so the next is caught
 * too); si_addr is the faulting address; si_code SEGV_MAPERR for an
 * unmapped page, SEGV_ACCERR for a write to a read-only one; after
 * mprotect makes it writable the same store succeeds. (Acceptance 4 of
 * issue 10.) */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "abi.h"

static sigjmp_buf env;
static void *volatile fault_addr;
static volatile int fault_code;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	fault_addr = si->si_addr;
	fault_code = si->si_code;
	siglongjmp(env, 1);
}

static void probe(const char *what, volatile char *p, int write)
{
	if (sigsetjmp(env, 1) == 0) {
		if (write)
			*p = 1;
		else
			(void)*p;
		say("%s: no fault", what);
		return;
	}
	say("%s: caught, addr ok %d, %s", what, fault_addr == (void *)p,
	    fault_code == SEGV_MAPERR ? "SEGV_MAPERR" :
	    fault_code == SEGV_ACCERR ? "SEGV_ACCERR" : "other");
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t cur;
	char *ro;

	abi_init(argc, argv);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	probe("null read", (volatile char *)0, 0);
	probe("wild write", (volatile char *)(uintptr_t)0x12345000, 1);
	probe("read-only write", ro, 1);
	probe("read-only read", ro, 0);
	munmap(ro, 4096);
	probe("unmapped read", ro, 0);
	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(ro, 4096, PROT_READ | PROT_WRITE);
	probe("after mprotect", ro, 1);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	say("SIGSEGV blocked at the end: %d", sigismember(&cur, SIGSEGV));
	return 0;
}
