/* Faults other than bad addresses reach their handlers with si_code set:
 * integer division by zero SIGFPE/FPE_INTDIV, ud2 SIGILL/ILL_ILLOPN, int3
 * SIGTRAP, a store to a file mapping past its end SIGBUS/BUS_ADRERR,
 * executing a non-executable page SIGSEGV/SEGV_ACCERR. */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abi.h"

static sigjmp_buf env;
static volatile int got_sig, got_code;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	got_sig = sig;
	got_code = si->si_code;
	siglongjmp(env, 1);
}

static volatile int zero;

static void do_div(void)
{
	say("quotient %d", 10 / zero);
}

static void do_ud2(void)
{
	__asm__ volatile("ud2");
}

static void do_int3(void)
{
	__asm__ volatile("int3");
}

static char *past_end;

static void do_bus(void)
{
	(void)*(volatile char *)past_end;
}

static void do_nx(void)
{
	static const unsigned char ret = 0xc3;
	void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	memcpy(page, &ret, 1);
	((void (*)(void))page)();
}

static void run(const char *what, void (*fn)(void))
{
	got_sig = 0;
	if (sigsetjmp(env, 1) == 0) {
		fn();
		say("%s: no signal", what);
		return;
	}
	say("%s: %s code %d", what, sname(got_sig), got_code);
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	struct stat st;
	int fd;

	abi_init(argc, argv);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGTRAP, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	fd = open(self_path(), O_RDONLY);
	fstat(fd, &st);
	past_end = mmap(NULL, (size_t)st.st_size + 3 * 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	past_end += (st.st_size + 4095) / 4096 * 4096 + 4096;
	say("FPE_INTDIV %d ILL_ILLOPN %d BUS_ADRERR %d SEGV_ACCERR %d SI_KERNEL %d", FPE_INTDIV,
	    ILL_ILLOPN, BUS_ADRERR, SEGV_ACCERR, SI_KERNEL);
	run("divide by zero", do_div);
	run("ud2", do_ud2);
	run("int3", do_int3);
	run("past the end of a file", do_bus);
	run("no-exec page", do_nx);
	return 0;
}
