/*
 * Signals in the pMonitor: sending one to a process, the wait that a
 * signal interrupts, and acting on signals at every return to user mode.
 * The Linux rules (pending sets, default actions, frames) are in
 * linux-abi/abi_signal.h; this adds threads: who to wake, stopping and
 * ending processes.
 *
 * Interfaces for the rest of the pMonitor (pipes, devices, the launch
 * service, wait4):
 *  - psig_send(p, sig, rec) posts sig to process p with rec's siginfo
 *    details, waking a thread that sleeps interruptibly and may take
 *    it; SIGKILL and SIGCONT also end a stop. Any thread, any context that
 *    may take a spinlock.
 *  - psig_raise(sig) sends sig to the calling thread's own process
 *    (SIGPIPE from a pipe write).
 *  - psig_pending() says whether the calling thread has a signal to take.
 *  - psig_wait_event(wq, cond, deadline) sleeps on wq until cond holds
 *    (0), the calling thread has a signal to take (-ERESTARTSYS), or
 *    time_ns() reaches deadline (-ETIMEDOUT; 0: no deadline). cond is
 *    evaluated with no lock held, again after every wake-up, and first of
 *    all (cond already true returns 0 even with a signal pending). Whoever
 *    makes cond true wakes wq. A kernel thread that is no process's is
 *    never interrupted. Return -ERESTARTSYS from the syscall when nothing
 *    moved yet: the return to user mode restarts it (SA_RESTART) or makes
 *    it -EINTR.
 *
 * Locking: the process's abi.sig_lock (spinlock) guards the signal state
 * and abi_thread.sleeping; the waker tests it under that lock and wakes
 * after dropping it, so a signal posted between a sleeper's test and its
 * block is never lost (the sleeper announced itself on wq first).
 */
#ifndef PROCESSOR_PROC_SIGNAL_H
#define PROCESSOR_PROC_SIGNAL_H

#include <tessera/errno.h>
#include <tessera/thread.h>
#include <tessera/types.h>
#include <tessera/wait.h>

#include "linux-abi/abi_signal.h"

struct pproc;
struct pthread;

void psig_send(struct pproc *p, int sig, const struct abi_sigrec *rec);
/* Post sig to thread th of p (NULL: to the process, waking the first of
 * its threads that sleeps and may take it), with p's sig_lock held. */
void psig_post_locked(struct pproc *p, struct pthread *th, int sig,
		      const struct abi_sigrec *rec);
/* The calling thread's process sends itself sig (SIGPIPE); nothing for a
 * kernel thread. */
void psig_raise(int sig);
bool psig_pending(void);

/* The halves of psig_wait_event (not for direct use): sleep_begin marks
 * th as sleeping interruptibly and says whether a signal already waits;
 * sleep_end clears the mark. th NULL: a kernel thread, never interrupted. */
bool psig_sleep_begin(struct pthread *th);
void psig_sleep_end(struct pthread *th);
struct pthread *pthread_current(void);

#define psig_wait_event(wq, cond, deadline)                              \
	({                                                               \
		struct waiter w_ = { .queued = false };                  \
		struct pthread *th_ = pthread_current();                 \
		u64 dl_ = (deadline);                                    \
		int r_;                                                  \
		for (;;) {                                               \
			wait_prepare((wq), &w_);                         \
			if (cond) {                                      \
				r_ = 0;                                  \
				break;                                   \
			}                                                \
			if (psig_sleep_begin(th_)) {                     \
				r_ = -ERESTARTSYS;                       \
				break;                                   \
			}                                                \
			if (dl_ && time_ns() >= dl_) {                   \
				r_ = -ETIMEDOUT;                         \
				break;                                   \
			}                                                \
			sched_block(dl_);                                \
		}                                                        \
		psig_sleep_end(th_);                                     \
		wait_finish((wq), &w_);                                  \
		r_;                                                      \
	})

/* The return to user mode of th with regs: run a handler, stop, or end
 * the process, as its signals say. syscall_nr: the syscall regs returns
 * from, or -1 (interrupt, fault). */
void psig_return(struct pthread *th, struct user_regs *regs, s64 syscall_nr);
/* A fault that a handler may catch: true if sig is now pending for th
 * (return to user mode runs the handler), false if it must kill. */
bool psig_fault(struct pthread *th, int sig, int code, u64 addr);

/* pabi_ops' signal half (linux-abi/abi_proc.h). */
int psig_sleep(struct abi_thread *t, k_sigset_t extra, u64 deadline);
int psig_kill(struct abi_thread *t, s32 pid, int sig, s32 code);
int psig_sigqueue(struct abi_thread *t, s32 pid, int sig, const struct abi_sigrec *rec);
/* kill(pid, sig) on behalf of GPM (`tessera kill`, a CLI's Ctrl-C), as
 * a process of vnode with no pid of its own: pid > 0 or a group (pid <
 * -1) of the vNode. 0, -ESRCH, -EINVAL. Takes mon->lock. */
struct pmon;
int psig_kill_from_gpm(struct pmon *mon, u32 vnode, s32 pid, int sig);
void psig_fpu_save(struct abi_thread *t, void *area);
void psig_fpu_restore(struct abi_thread *t, const void *area);
void psig_fpu_reset(struct abi_thread *t);

#endif
