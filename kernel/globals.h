/*
 * All mutable global state of the portable kernel that more than one file
 * touches, in one place.
 */
#ifndef KERNEL_GLOBALS_H
#define KERNEL_GLOBALS_H

#include <tessera/list.h>
#include <tessera/lock.h>
#include <tessera/thread.h>

/* Per-CPU state; one CPU for now. Touched only by its own CPU with
 * interrupts off. */
struct cpu {
	int ncli;             /* irq_push_off nesting depth */
	bool irq_was_on;      /* interrupt flag before the outermost push */
	bool need_resched;    /* set by the tick: preempt at interrupt exit */
	struct thread *current;
	struct thread *idle;
	struct lock_stack spins; /* spinlocks held (tessera/lockrank.h) */
};

extern struct cpu cpu0;
#define this_cpu cpu0

/* Scheduler state: all guarded by sched_lock. */
extern struct spinlock sched_lock;
extern struct list_node run_queue;   /* READY threads, FIFO */
extern struct list_node sleep_list;  /* BLOCKED threads with a deadline */

/* Boot-time services the kernel core calls between files. */
__noreturn void sched_exit_current(void);

#endif
