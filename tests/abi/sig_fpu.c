/* A signal frame saves and restores the interrupted context: general
 * registers (the handler reads r12 in uc_mcontext and its change to r13
 * takes effect at sigreturn), all 16 SSE registers and MXCSR (the
 * handler reads xmm values in uc_mcontext.fpregs, clobbers every xmm
 * register and the rounding mode, and main finds its own back), and the
 * x87 control word. */
#include <fenv.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "abi.h"

#define R12_MARK 0x1122334455667788ull

static uint64_t xin[32], xout[32];
static volatile int seen_r12, seen_xmm, seen_round;

static void on_sig(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	static const uint64_t junk[2] = { 0xdeadbeefdeadbeefull, 0xbadc0ffee0ddf00dull };

	seen_r12 = (uint64_t)uc->uc_mcontext.gregs[REG_R12] == R12_MARK;
	seen_xmm = uc->uc_mcontext.fpregs &&
		   memcmp(&uc->uc_mcontext.fpregs->_xmm[5], &xin[10], 16) == 0;
	seen_round = fegetround() == FE_TONEAREST;
	uc->uc_mcontext.gregs[REG_R13] = 42;
	fesetround(FE_DOWNWARD);
	__asm__ volatile("movdqu %0, %%xmm0\n\t"
			 "movdqa %%xmm0, %%xmm1\n\tmovdqa %%xmm0, %%xmm2\n\t"
			 "movdqa %%xmm0, %%xmm3\n\tmovdqa %%xmm0, %%xmm4\n\t"
			 "movdqa %%xmm0, %%xmm5\n\tmovdqa %%xmm0, %%xmm6\n\t"
			 "movdqa %%xmm0, %%xmm7\n\tmovdqa %%xmm0, %%xmm8\n\t"
			 "movdqa %%xmm0, %%xmm9\n\tmovdqa %%xmm0, %%xmm10\n\t"
			 "movdqa %%xmm0, %%xmm11\n\tmovdqa %%xmm0, %%xmm12\n\t"
			 "movdqa %%xmm0, %%xmm13\n\tmovdqa %%xmm0, %%xmm14\n\t"
			 "movdqa %%xmm0, %%xmm15\n\t"
			 "fninit\n\t"
			 : : "m"(junk) : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
			 "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",
			 "xmm15");
}

/* Load xin into xmm0-15, mark r12, kill(getpid(), sig), store xmm0-15 to
 * xout; returns r13 as the signal left it. */
static uint64_t raise_in_registers(int sig)
{
	uint64_t r13;
	long pid = getpid();

	__asm__ volatile("movdqu 0(%[in]), %%xmm0\n\tmovdqu 16(%[in]), %%xmm1\n\t"
			 "movdqu 32(%[in]), %%xmm2\n\tmovdqu 48(%[in]), %%xmm3\n\t"
			 "movdqu 64(%[in]), %%xmm4\n\tmovdqu 80(%[in]), %%xmm5\n\t"
			 "movdqu 96(%[in]), %%xmm6\n\tmovdqu 112(%[in]), %%xmm7\n\t"
			 "movdqu 128(%[in]), %%xmm8\n\tmovdqu 144(%[in]), %%xmm9\n\t"
			 "movdqu 160(%[in]), %%xmm10\n\tmovdqu 176(%[in]), %%xmm11\n\t"
			 "movdqu 192(%[in]), %%xmm12\n\tmovdqu 208(%[in]), %%xmm13\n\t"
			 "movdqu 224(%[in]), %%xmm14\n\tmovdqu 240(%[in]), %%xmm15\n\t"
			 "movabsq %[mark], %%r12\n\t"
			 "xorl %%r13d, %%r13d\n\t"
			 "movl %[nr], %%eax\n\t"
			 "movq %[pid], %%rdi\n\t"
			 "movslq %[sig], %%rsi\n\t"
			 "syscall\n\t"
			 "movq %%r13, %[r13]\n\t"
			 "movdqu %%xmm0, 0(%[out])\n\tmovdqu %%xmm1, 16(%[out])\n\t"
			 "movdqu %%xmm2, 32(%[out])\n\tmovdqu %%xmm3, 48(%[out])\n\t"
			 "movdqu %%xmm4, 64(%[out])\n\tmovdqu %%xmm5, 80(%[out])\n\t"
			 "movdqu %%xmm6, 96(%[out])\n\tmovdqu %%xmm7, 112(%[out])\n\t"
			 "movdqu %%xmm8, 128(%[out])\n\tmovdqu %%xmm9, 144(%[out])\n\t"
			 "movdqu %%xmm10, 160(%[out])\n\tmovdqu %%xmm11, 176(%[out])\n\t"
			 "movdqu %%xmm12, 192(%[out])\n\tmovdqu %%xmm13, 208(%[out])\n\t"
			 "movdqu %%xmm14, 224(%[out])\n\tmovdqu %%xmm15, 240(%[out])\n\t"
			 : [r13] "=&r"(r13)
			 : [in] "r"(xin), [out] "r"(xout), [mark] "i"(R12_MARK),
			   [nr] "i"(SYS_kill), [pid] "r"(pid), [sig] "r"(sig)
			 : "rax", "rdi", "rsi", "rcx", "r11", "r12", "r13", "memory", "xmm0",
			   "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
			   "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
	return r13;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	volatile double third;
	unsigned short cw;
	uint64_t r13;

	abi_init(argc, argv);
	for (int i = 0; i < 32; i++)
		xin[i] = 0x0101010101010101ull * (uint64_t)(i + 1);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	__asm__ volatile("fnstcw %0" : "=m"(cw));
	say("x87 control word at start: 0x%x", cw);
	r13 = raise_in_registers(SIGUSR1);
	say("handler saw r12: %d, xmm5: %d, round-to-nearest: %d", seen_r12, seen_xmm,
	    seen_round);
	say("r13 after sigreturn: %llu", (unsigned long long)r13);
	say("xmm registers preserved: %d", memcmp(xin, xout, sizeof(xin)) == 0);
	say("rounding mode preserved: %d", fegetround() == FE_TONEAREST);
	__asm__ volatile("fnstcw %0" : "=m"(cw));
	say("x87 control word after: 0x%x", cw);
	third = 1.0;
	third /= 3.0;
	say("1/3 = %.17g", third);
	return 0;
}
