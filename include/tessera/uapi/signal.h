/* Linux x86-64 signals: numbers, rt_sigaction's kernel-side struct (not
 * libc's), sigprocmask "how" values and sa_flags
 * (arch/x86/include/uapi/asm/signal.h, asm-generic/signal-defs.h). */
#ifndef TESSERA_UAPI_SIGNAL_H
#define TESSERA_UAPI_SIGNAL_H

#include <tessera/types.h>

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPWR 30
#define SIGSYS 31
#define SIGRTMIN 32
#define NSIG 64 /* signals are 1..NSIG */

/* Bit of signal s in a 64-bit mask. */
#define SIGMASK(s) (1ull << ((s) - 1))

/* The kernel's signal set: one bit per signal (libc's sigset_t is larger). */
typedef u64 k_sigset_t;

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

#define SIG_DFL 0ull
#define SIG_IGN 1ull

#define SA_NOCLDSTOP 0x00000001u
#define SA_NOCLDWAIT 0x00000002u
#define SA_SIGINFO 0x00000004u
#define SA_RESTORER 0x04000000u
#define SA_ONSTACK 0x08000000u
#define SA_RESTART 0x10000000u
#define SA_NODEFER 0x40000000u
#define SA_RESETHAND 0x80000000u

/* What rt_sigaction reads and writes (its sigsetsize must be 8). These
 * headers are the kernel's view: a file that includes them does not also
 * include libc's signal, stat or time headers. */
struct kernel_sigaction {
	u64 handler;  /* user address, SIG_DFL or SIG_IGN */
	u64 flags;    /* SA_* */
	u64 restorer; /* user address, with SA_RESTORER */
	k_sigset_t mask;
};
_Static_assert(sizeof(struct kernel_sigaction) == 32, "sigaction is 32 bytes");
_Static_assert(offsetof(struct kernel_sigaction, restorer) == 16, "sa_restorer");
_Static_assert(offsetof(struct kernel_sigaction, mask) == 24, "sa_mask");

#endif
