/*
 * All mutable global state of the portable kernel that more than one file
 * touches, in one place.
 */
#ifndef KERNEL_GLOBALS_H
#define KERNEL_GLOBALS_H

#include <tessera/arch.h>
#include <tessera/list.h>
#include <tessera/lock.h>
#include <tessera/thread.h>

/* Per-CPU state, one per CPU, indexed by arch_cpu_index(). */
struct cpu {
	/* Touched only by its own CPU with interrupts off: */
	int ncli;             /* irq_push_off nesting depth */
	bool irq_was_on;      /* interrupt flag before the outermost push */
	bool need_resched;    /* set by the tick or an IPI: preempt at interrupt exit */
	struct lock_stack spins; /* spinlocks held (tessera/lockrank.h) */
	/* sched_lock must be held when using these (written by any CPU): */
	struct thread *current;
	struct thread *idle;  /* runs when the queue is empty; never queued */
	struct list_node run_queue; /* READY threads placed here, FIFO */
	u32 nready;           /* length of run_queue */
	bool online;          /* takes threads */
	int index;
};

extern struct cpu cpus[MAX_CPUS];
struct cpu *cpu_this(void);
/* The running CPU's state; interrupts must be off (or the thread may be
 * moved to another CPU while it looks). */
#define this_cpu (*cpu_this())

/* Scheduler state: all guarded by sched_lock. */
extern struct spinlock sched_lock;
extern struct list_node sleep_list;  /* BLOCKED threads with a deadline */
extern int sched_cpus;               /* CPUs online, set once at boot */

/* Boot-time services the kernel core calls between files. */
__noreturn void sched_exit_current(void);
/* Put t (not queued) on the run queue of a CPU chosen for it; it becomes
 * READY. sched_lock held. */
void sched_enqueue(struct thread *t);
/* A thread that will run fn(arg), READY but on no queue; pin: a CPU or -1.
 * NULL when out of memory. */
struct thread *thread_make(void (*fn)(void *), void *arg, const char *name, bool detached,
			   int pin);
/* A thread for a flow that is already running (a CPU's boot flow), pinned
 * to cpu; no stack of its own. */
struct thread *thread_adopt(const char *name, int cpu);

#endif
