/* Kernel thread creation, exit and join. A thread's stack and struct are
 * freed by whoever joins it, or by the next thread_spawn/create call for a
 * detached thread (a thread cannot free the stack it runs on). */
#include <tessera/kmalloc.h>
#include <tessera/printk.h>
#include <tessera/string.h>
#include <tessera/thread.h>

#include "kernel/globals.h"

#define THREAD_STACK_SIZE (16 * 1024)

static int thread_next_id = 1;                       /* sched_lock */
static struct list_node reap_list = LIST_INIT(reap_list); /* sched_lock; via run_link */

static void thread_free(struct thread *t)
{
	arch_context_destroy(&t->ctx);
	kfree(t->stack);
	kfree(t);
}

/* Free detached threads that have finished. */
static void thread_reap(void)
{
	struct list_node *n;

	for (;;) {
		spin_lock(&sched_lock);
		n = list_pop_head(&reap_list);
		spin_unlock(&sched_lock);
		if (!n)
			return;
		thread_free(list_entry(n, struct thread, run_link));
	}
}

/* First code a new thread runs: sched_lock is held from the switch. */
static void thread_entry(void *arg)
{
	struct thread *t = arg;

	this_cpu.irq_was_on = true;
	spin_unlock(&sched_lock);
	t->fn(t->arg);
	thread_exit();
}

/* Fields every thread starts with; pin is a CPU or -1. */
static void thread_init(struct thread *t, const char *name, int pin)
{
	str_copy(t->name, name, sizeof(t->name));
	list_init(&t->run_link);
	list_init(&t->sleep_link);
	wait_queue_init(&t->exited);
	t->pinned = pin;
	spin_lock(&sched_lock);
	t->id = thread_next_id++;
	t->cpu = pin >= 0 ? pin : this_cpu.index;
	spin_unlock(&sched_lock);
}

struct thread *thread_make(void (*fn)(void *), void *arg, const char *name, bool detached,
			   int pin)
{
	struct thread *t = kzalloc(sizeof(*t));

	thread_reap();
	if (!t)
		return NULL;
	t->stack = kmalloc(THREAD_STACK_SIZE);
	if (!t->stack) {
		kfree(t);
		return NULL;
	}
	t->fn = fn;
	t->arg = arg;
	t->detached = detached;
	t->state = THREAD_READY;
	arch_context_init(&t->ctx, (char *)t->stack + THREAD_STACK_SIZE, thread_entry, t);
	thread_init(t, name, pin);
	return t;
}

struct thread *thread_adopt(const char *name, int cpu)
{
	struct thread *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->state = THREAD_RUNNING;
	thread_init(t, name, cpu);
	return t;
}

static struct thread *thread_new(void (*fn)(void *), void *arg, const char *name,
				 bool detached, int cpu)
{
	struct thread *t = thread_make(fn, arg, name, detached,
				       cpu >= 0 && cpu < sched_ncpus() ? cpu : -1);

	if (!t)
		return NULL;
	spin_lock(&sched_lock);
	sched_enqueue(t);
	spin_unlock(&sched_lock);
	return t;
}

struct thread *thread_create(void (*fn)(void *), void *arg, const char *name)
{
	return thread_new(fn, arg, name, false, -1);
}

struct thread *thread_create_on(void (*fn)(void *), void *arg, const char *name, int cpu)
{
	return thread_new(fn, arg, name, false, cpu);
}

int thread_spawn(void (*fn)(void *), void *arg, const char *name)
{
	return thread_new(fn, arg, name, true, -1) ? 0 : -12 /* ENOMEM */;
}

void thread_exit(void)
{
	struct thread *t = thread_current();

	__atomic_store_n(&t->exiting, true, __ATOMIC_RELEASE);
	wake_up_all(&t->exited);
	spin_lock(&sched_lock);
	if (t->detached)
		list_add_tail(&reap_list, &t->run_link);
	sched_exit_current();
}

/* Seeing DEAD under sched_lock means t's last switch has completed: the
 * lock is released only by the thread switched to, on that CPU. */
static bool thread_is_dead(struct thread *t)
{
	bool dead;

	spin_lock(&sched_lock);
	dead = t->state == THREAD_DEAD;
	spin_unlock(&sched_lock);
	return dead;
}

void thread_join(struct thread *t)
{
	wait_event(&t->exited, __atomic_load_n(&t->exiting, __ATOMIC_ACQUIRE));
	while (!thread_is_dead(t))
		thread_yield();
	thread_free(t);
}

int thread_cpu(const struct thread *t)
{
	return __atomic_load_n(&t->cpu, __ATOMIC_RELAXED);
}
