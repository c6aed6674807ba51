/*
 * The scheduler: round robin over run_queue, preemption at the 100 Hz tick,
 * an idle thread when nothing is ready. Switching happens with sched_lock
 * held; the thread switched to releases it (as in xv6). Locking: sched_lock
 * guards run_queue, sleep_list and every thread's state/links.
 */
#include <tessera/arch.h>
#include <tessera/irq.h>
#include <tessera/printk.h>
#include <tessera/thread.h>
#include <tessera/time.h>

#include "kernel/globals.h"

static struct thread boot_thread;

/* Switch away from current; current->state already says why. Lock held. */
static void schedule(void)
{
	struct thread *prev = this_cpu.current, *next;
	struct list_node *n = list_pop_head(&run_queue);
	bool was_on = this_cpu.irq_was_on;

	BUG_ON(!spin_held(&sched_lock) || this_cpu.ncli != 1);
	next = n ? list_entry(n, struct thread, run_link) : this_cpu.idle;
	if (next == prev)
		return;
	next->state = THREAD_RUNNING;
	this_cpu.current = next;
	this_cpu.need_resched = false;
	arch_context_switch(&prev->ctx, &next->ctx);
	this_cpu.irq_was_on = was_on;
}

static void sched_enqueue(struct thread *t)
{
	t->state = THREAD_READY;
	if (t != this_cpu.idle)
		list_add_tail(&run_queue, &t->run_link);
}

void thread_yield(void)
{
	spin_lock(&sched_lock);
	sched_enqueue(this_cpu.current);
	schedule();
	spin_unlock(&sched_lock);
}

void sched_block(u64 deadline)
{
	struct thread *t = this_cpu.current;

	spin_lock(&sched_lock);
	if (t->state == THREAD_WAITING) {
		t->state = THREAD_BLOCKED;
		t->wake_at = deadline;
		if (deadline)
			list_add_tail(&sleep_list, &t->sleep_link);
		schedule();
	}
	if (t->wake_at) {
		list_del(&t->sleep_link);
		t->wake_at = 0;
	}
	spin_unlock(&sched_lock);
}

void thread_wake(struct thread *t)
{
	spin_lock(&sched_lock);
	if (t->state == THREAD_WAITING)
		t->state = THREAD_RUNNING; /* never left the CPU */
	else if (t->state == THREAD_BLOCKED)
		sched_enqueue(t);
	spin_unlock(&sched_lock);
}

void thread_sleep_ns(u64 ns)
{
	struct thread *t = this_cpu.current;
	u64 deadline = time_ns() + ns;

	while (time_ns() < deadline) {
		spin_lock(&sched_lock);
		t->state = THREAD_WAITING;
		spin_unlock(&sched_lock);
		sched_block(deadline);
	}
}

void irq_timer_tick(void)
{
	struct list_node *n, *tmp;
	u64 now = time_ns();

	spin_lock(&sched_lock);
	list_for_each_safe(n, tmp, &sleep_list) {
		struct thread *t = list_entry(n, struct thread, sleep_link);

		if (t->wake_at <= now && t->state == THREAD_BLOCKED)
			sched_enqueue(t);
	}
	this_cpu.need_resched = true;
	spin_unlock(&sched_lock);
}

void irq_return_hook(void)
{
	if (this_cpu.need_resched && this_cpu.ncli == 0 && this_cpu.current)
		thread_yield();
}

/* Called with sched_lock held by the thread that exits; never returns. */
__noreturn void sched_exit_current(void)
{
	this_cpu.current->state = THREAD_DEAD;
	schedule();
	panic("a dead thread was scheduled");
}

struct thread *thread_current(void)
{
	return this_cpu.current;
}

struct lock_stack *lockrank_cpu_stack(void)
{
	return &this_cpu.spins;
}

/* Before the scheduler starts, the boot flow is boot_thread already. */
struct lock_stack *lockrank_thread_stack(void)
{
	struct thread *t = this_cpu.current;

	return t ? &t->mutexes : &boot_thread.mutexes;
}

static void idle_loop(void *arg)
{
	for (;;) {
		arch_wait_for_interrupt();
		thread_yield();
	}
}

void sched_init(void)
{
	boot_thread.state = THREAD_RUNNING;
	boot_thread.id = 0;
	__builtin_memcpy(boot_thread.name, "boot", 5);
	list_init(&boot_thread.run_link);
	list_init(&boot_thread.sleep_link);
	wait_queue_init(&boot_thread.exited);
	this_cpu.current = &boot_thread;
}

void sched_start(void)
{
	this_cpu.idle = thread_create(idle_loop, NULL, "idle");
	if (!this_cpu.idle)
		panic("cannot create the idle thread");
	spin_lock(&sched_lock);
	list_del(&this_cpu.idle->run_link); /* idle runs only when nothing else can */
	this_cpu.idle->state = THREAD_READY;
	spin_unlock(&sched_lock);
	arch_timer_start(TICK_HZ);
}
