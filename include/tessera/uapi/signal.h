/* Linux x86-64 signals: numbers, rt_sigaction's kernel-side struct (not
 * libc's), sigprocmask "how" values and sa_flags
 * (arch/x86/include/uapi/asm/signal.h, asm-generic/signal-defs.h), siginfo
 * and its si_code values (asm-generic/siginfo.h), the alternate stack,
 * and the frame a handler runs on (arch/x86/include/uapi/asm/sigcontext.h,
 * asm/ucontext.h, arch/x86/include/asm/sigframe.h). */
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

/* si_code values. */
#define SI_USER 0        /* kill() */
#define SI_KERNEL 0x80   /* the kernel (alarm, setitimer) */
#define SI_QUEUE (-1)    /* sigqueue() */
#define SI_TKILL (-6)    /* tkill(), tgkill() */
#define SEGV_MAPERR 1    /* address not mapped */
#define SEGV_ACCERR 2    /* access not allowed */
#define BUS_ADRERR 2
#define ILL_ILLOPN 2
#define FPE_INTDIV 1
#define TRAP_BRKPT 1
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_TRAPPED 4
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

/* The 128-byte siginfo_t, with the members this kernel fills. */
struct siginfo {
	s32 si_signo;
	s32 si_errno;
	s32 si_code;
	s32 pad;
	union {
		struct {
			u32 pid;
			u32 uid;
			s32 status; /* SIGCHLD: exit code or signal */
			u32 pad;
			s64 utime, stime; /* SIGCHLD: clock ticks */
		} proc;
		struct {
			u32 pid;
			u32 uid;
			u64 value; /* sigqueue's sigval */
		} rt;
		u64 addr; /* faults: the address */
		u8 bytes[112];
	} u;
};
_Static_assert(sizeof(struct siginfo) == 128, "siginfo is 128 bytes");
_Static_assert(offsetof(struct siginfo, u.proc.status) == 24, "si_status");
_Static_assert(offsetof(struct siginfo, u.proc.utime) == 32, "si_utime");
_Static_assert(offsetof(struct siginfo, u.rt.value) == 24, "si_value");

/* sigaltstack's stack_t. */
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SS_AUTODISARM (1u << 31)
#define MINSIGSTKSZ 2048
struct sigaltstack {
	u64 ss_sp;
	s32 ss_flags;
	u32 pad;
	u64 ss_size;
};
_Static_assert(sizeof(struct sigaltstack) == 24, "stack_t is 24 bytes");

/* The registers a handler's frame saves (struct sigcontext, x86-64). */
struct sigcontext {
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip;
	u64 eflags;
	u16 cs, gs, fs, ss;
	u64 err, trapno, oldmask, cr2;
	u64 fpstate; /* user address of the FPU state, 0: none */
	u64 reserved1[8];
};
_Static_assert(sizeof(struct sigcontext) == 256, "sigcontext is 256 bytes");
_Static_assert(offsetof(struct sigcontext, rip) == 128, "sigcontext.rip");
_Static_assert(offsetof(struct sigcontext, fpstate) == 184, "sigcontext.fpstate");

#define UC_FP_XSTATE 0x1
#define UC_SIGCONTEXT_SS 0x2
#define UC_STRICT_RESTORE_SS 0x4
struct ucontext {
	u64 uc_flags;
	u64 uc_link;
	struct sigaltstack uc_stack;
	struct sigcontext uc_mcontext;
	k_sigset_t uc_sigmask;
};
_Static_assert(sizeof(struct ucontext) == 304, "ucontext is 304 bytes");
_Static_assert(offsetof(struct ucontext, uc_mcontext) == 40, "uc_mcontext");

/* What a handler finds at its stack pointer: the return address (the
 * restorer, which calls rt_sigreturn), then the context and siginfo. The
 * fxsave image of the FPU registers follows, 64-byte aligned. */
struct rt_sigframe {
	u64 pretcode;
	struct ucontext uc;
	struct siginfo info;
};
_Static_assert(sizeof(struct rt_sigframe) == 440, "rt_sigframe is 440 bytes");
#define SIG_FPSTATE_SIZE 512 /* fxsave64 */

#endif
