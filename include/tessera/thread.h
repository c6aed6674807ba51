/*
 * Kernel threads and the scheduler: preemptive round robin on a 100 Hz tick,
 * a run queue per CPU. A thread runs until it blocks, sleeps, yields or its
 * tick expires; a thread holding a spinlock is never preempted (interrupts
 * are off while a spinlock is held). A thread that becomes ready goes to an
 * idle CPU if there is one, else to the shortest queue (its last CPU on a
 * tie); a CPU whose queue is short takes threads from the longest one, so
 * threads move between CPUs unless pinned.
 *
 * sched_lock (kernel/sched.c) guards every run queue, the sleep list and
 * every thread's state, cpu, wake_at and links.
 */
#ifndef TESSERA_THREAD_H
#define TESSERA_THREAD_H

#include <tessera/arch.h>
#include <tessera/list.h>
#include <tessera/lockrank.h>
#include <tessera/types.h>
#include <tessera/wait.h>

enum thread_state {
	THREAD_RUNNING, /* on a CPU */
	THREAD_READY,   /* on the run queue */
	THREAD_WAITING, /* announced a wait, still on the CPU (see wait.h) */
	THREAD_BLOCKED, /* off the CPU until woken (or wake_at passes) */
	THREAD_DEAD,    /* finished; its stack is freed by thread_join */
};

struct thread {
	struct arch_context ctx;
	enum thread_state state;
	int id;
	char name[24];
	int cpu;                     /* the CPU it runs or last ran on, or is queued on */
	int pinned;                  /* the only CPU it may run on, -1: any */
	struct list_node run_link;   /* run queue */
	struct list_node sleep_link; /* sleep list while wake_at != 0 */
	u64 wake_at;                 /* time_ns deadline, 0 = none */
	void *stack;
	void (*fn)(void *);
	void *arg;
	bool detached;               /* freed at exit, nobody joins */
	bool exiting;                /* set once by the thread in thread_exit */
	struct wait_queue exited;    /* woken when state becomes DEAD */
	struct lock_stack mutexes;   /* mutexes held (tessera/lockrank.h) */
};

/* Create and start a thread running fn(arg); NULL when out of memory. */
struct thread *thread_create(void (*fn)(void *), void *arg, const char *name);
/* As thread_create, pinned to CPU cpu (unpinned if that CPU is not online). */
struct thread *thread_create_on(void (*fn)(void *), void *arg, const char *name, int cpu);
/* As thread_create, but its memory is reclaimed when it exits. */
int thread_spawn(void (*fn)(void *), void *arg, const char *name);
/* Wait for t to finish, then free it. Only one thread joins t. */
void thread_join(struct thread *t);
__noreturn void thread_exit(void);
struct thread *thread_current(void);

/* The CPU t runs or last ran on (a snapshot). */
int thread_cpu(const struct thread *t);
/* CPUs online; the CPU the caller runs on (a snapshot: it may move). */
int sched_ncpus(void);
int sched_cpu_index(void);

void thread_yield(void);
void thread_sleep_ns(u64 ns);
/* Make t runnable if it waits or is blocked; safe from interrupts. */
void thread_wake(struct thread *t);

/* Scheduler internals used by wait.c: block the current thread unless it
 * was woken since announcing the wait; deadline 0 = none. */
void sched_block(u64 deadline);
void sched_init(void);
/* Turn the boot flow into the first thread and start preemption. */
void sched_start(void);
/* Bring up the other CPUs, each with its idle thread and tick. */
void sched_smp_start(void);

#endif
