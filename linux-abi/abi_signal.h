/*
 * Linux signal semantics, portable: pending sets, who takes what, default
 * actions, and what happens at the return to user mode (a handler's frame
 * with siginfo and the FPU state, rt_sigreturn, syscall restarts). The
 * pMonitor supplies the parts that need threads (sleeping and waking,
 * linux-abi/abi_proc.h) and calls these at the right moments:
 *
 *  - to send a signal: under the process's sig_lock, abi_sig_post, then
 *    wake every thread abi_sig_wakes names (a signal posted to a running
 *    thread needs no wake: it takes it at its next return to user mode);
 *  - in an interruptible wait: under sig_lock, set t->sleeping and test
 *    abi_sig_interrupts before blocking (processor/proc/signal.h);
 *  - at every return to user mode: abi_sig_deliver, which builds a
 *    handler's frame or says which default action to carry out.
 *
 * A standard signal (1..31) is pending once: a second one while the
 * first waits is merged into it, keeping the first one's details. Real-
 * time signals are merged the same way for now (Linux queues them).
 * Signals for a thread (faults, tkill) are taken before the process's.
 */
#ifndef LINUX_ABI_ABI_SIGNAL_H
#define LINUX_ABI_ABI_SIGNAL_H

#include <tessera/types.h>
#include <tessera/uapi/signal.h>
#include <tessera/user.h>

struct abi_proc;
struct abi_thread;

/* What a pending signal's siginfo will say. */
struct abi_sigrec {
	s32 code;   /* si_code: SI_USER, CLD_EXITED, SEGV_MAPERR, ... */
	u32 pid;    /* the sender, or the child (SIGCHLD) */
	u32 uid;
	s32 status; /* SIGCHLD: exit code or signal number */
	u64 addr;   /* faults: the address; negative codes (SI_QUEUE): the value */
};

/* Pending signals: one instance of each standard signal; a real-time
 * one (SIGRTMIN and up) queues up to ABI_SIGQUEUE_MAX more instances,
 * taken in the order sent (Linux queues them up to RLIMIT_SIGPENDING). */
#define ABI_SIGQUEUE_MAX 32
struct abi_sigpending {
	k_sigset_t set;
	struct abi_sigrec rec[NSIG]; /* [s - 1], meaningful while s is in set */
	u32 nq;                      /* instances queued behind rec[] */
	u8 qsig[ABI_SIGQUEUE_MAX];   /* [0, nq): their signals, oldest first */
	struct abi_sigrec q[ABI_SIGQUEUE_MAX]; /* and their details */
};
/* Forget every pending instance of the signals in drop. sig_lock held. */
void abi_sig_forget_locked(struct abi_sigpending *q, k_sigset_t drop);

/* What restart_syscall resumes: an interrupted nanosleep. */
struct abi_restart {
	u64 deadline; /* time_ns() at which the sleep ends; 0: nothing to resume */
	u64 rem;      /* user address for the time left, 0: none */
};

/* Default actions (signal(7)). */
enum abi_sig_default {
	ABI_SIGDFL_TERM,
	ABI_SIGDFL_CORE,
	ABI_SIGDFL_IGNORE,
	ABI_SIGDFL_STOP,
	ABI_SIGDFL_CONT,
};
enum abi_sig_default abi_sig_default_action(int sig);

#define ABI_SIG_UNBLOCKABLE (SIGMASK(SIGKILL) | SIGMASK(SIGSTOP))
#define ABI_SIG_STOPS (SIGMASK(SIGSTOP) | SIGMASK(SIGTSTP) | SIGMASK(SIGTTIN) | SIGMASK(SIGTTOU))

/* abi_signal.c; every function named _locked, and abi_sig_post and
 * abi_sig_wakes, run under the process's sig_lock. */

/* Make sig (1..NSIG) pending for thread t, or for the process p when t
 * is NULL, with rec's details, unless p ignores it (SIG_IGN, or a default
 * of ignore) and t does not block it — then it is dropped. SIGCONT
 * discards pending stop signals and a stop signal a pending SIGCONT. True
 * if sig is pending now. */
bool abi_sig_post(struct abi_proc *p, struct abi_thread *t, int sig,
		  const struct abi_sigrec *rec);
/* The same for the process p, as Linux's kill: an ignored sig is kept
 * pending if the process's first thread, leader, blocks it. */
bool abi_sig_post_proc(struct abi_proc *p, const struct abi_thread *leader, int sig,
		       const struct abi_sigrec *rec);
/* t sleeps and sig (just posted for it or its process) ends the sleep. */
bool abi_sig_wakes(const struct abi_thread *t, int sig);
/* The pending signals t could take now: not blocked, or in wait_extra
 * while it sleeps. */
k_sigset_t abi_sig_interrupts_locked(const struct abi_thread *t);
/* The same test, taking the lock: t has a signal to take. */
bool abi_sig_pending(struct abi_thread *t);
/* Take the lowest signal of mask pending for t (its own first, faults
 * before others): its number and *si, or 0. */
int abi_sig_dequeue_locked(struct abi_thread *t, k_sigset_t mask, struct siginfo *si);
/* Set t's blocked mask (SIGKILL and SIGSTOP are never blocked). */
void abi_sig_set_mask(struct abi_thread *t, k_sigset_t mask);

/* A signal from the kernel to the calling thread's own process, as
 * Linux's send_sig: SIGPIPE on a write to a pipe with no reader. */
void abi_sig_raise(struct abi_thread *t, int sig);
/* A fault in t's user code: if t has a handler for sig it does not
 * block, sig is now pending for t (code, addr) and true is returned, so
 * the return to user mode runs the handler; false: the fault kills. */
bool abi_sig_fault(struct abi_thread *t, int sig, int code, u64 addr);

/* Force sig on t (a bad sigreturn frame): if it is blocked or ignored
 * its action becomes the default and it is unblocked, then it is posted
 * for t. */
void abi_sig_force(struct abi_thread *t, int sig);

/* At a return to user mode of t (abi_sig_deliver):
 *  ABI_DELIVER_NONE     nothing to take; a syscall that returned
 *                       -ERESTART* was set up to restart
 *  ABI_DELIVER_HANDLER  regs now enter a handler on its frame
 *  ABI_DELIVER_TERM, ABI_DELIVER_CORE  the default action of out->sig
 *                       ends the process (also when a frame could not
 *                       be written: SIGSEGV)
 *  ABI_DELIVER_STOP     stop the process (out->sig), then call again */
enum abi_deliver {
	ABI_DELIVER_NONE,
	ABI_DELIVER_HANDLER,
	ABI_DELIVER_TERM,
	ABI_DELIVER_CORE,
	ABI_DELIVER_STOP,
};
struct abi_sig_outcome {
	int sig;
	struct siginfo si;
};
/* regs is the frame that goes back to user mode; syscall_nr is the
 * system call it returns from (its result in regs->rax), or -1 for an
 * interrupt or a fault. */
enum abi_deliver abi_sig_deliver(struct abi_thread *t, struct user_regs *regs, s64 syscall_nr,
				 struct abi_sig_outcome *out);

/* sig_frame.c: the handler's frame on the user stack, and its undoing. */
int abi_sig_frame_setup(struct abi_thread *t, struct user_regs *regs, int sig,
			const struct siginfo *si, const struct kernel_sigaction *ka,
			k_sigset_t oldmask);
/* rt_sigreturn: regs from the frame at regs->rsp - 8; 0, or -EFAULT for
 * a frame that cannot be read or would not return to user mode (the
 * caller then forces SIGSEGV). */
int abi_sig_frame_restore(struct abi_thread *t, struct user_regs *regs);
/* sigaltstack's idea of where sp is: SS_ONSTACK, SS_DISABLE or 0. */
int abi_sig_stack_flags(const struct abi_thread *t, u64 sp);

#endif
