/*
 * The scheduler: round robin over per-CPU run queues, preemption at the
 * 100 Hz tick, an idle thread per CPU when its queue is empty. Switching
 * happens with sched_lock held; the thread switched to releases it (as in
 * xv6), so a thread put on a queue cannot be run by another CPU before its
 * own CPU has left its stack. Locking: sched_lock guards every run queue,
 * the sleep list and every thread's state/cpu/links (see kernel/globals.h).
 *
 * Placement (sched_enqueue): a pinned thread goes to its CPU; another to
 * its last CPU if idle, else to any idle CPU, else to the shortest queue.
 * An idle CPU given a thread is woken with an IPI. Balancing (schedule):
 * a CPU whose queue is two shorter than the longest (one, if it is empty)
 * takes the oldest unpinned thread from it.
 */
#include <tessera/arch.h>
#include <tessera/fmt.h>
#include <tessera/irq.h>
#include <tessera/printk.h>
#include <tessera/thread.h>
#include <tessera/time.h>

#include "kernel/globals.h"

static struct thread boot_thread;

static bool cpu_is_idle(const struct cpu *c)
{
	return c->current == c->idle && c->nready == 0;
}

static void runq_add(struct cpu *c, struct thread *t)
{
	t->cpu = c->index;
	list_add_tail(&c->run_queue, &t->run_link);
	c->nready++;
}

static struct thread *runq_pop(struct cpu *c)
{
	struct list_node *n = list_pop_head(&c->run_queue);

	if (!n)
		return NULL;
	c->nready--;
	return list_entry(n, struct thread, run_link);
}

static struct cpu *sched_pick(const struct thread *t)
{
	struct cpu *best;

	if (t->pinned >= 0)
		return &cpus[t->pinned];
	best = &cpus[t->cpu];
	if (cpu_is_idle(best))
		return best;
	for (int i = 0; i < sched_cpus; i++) {
		if (cpu_is_idle(&cpus[i]))
			return &cpus[i];
		if (cpus[i].nready < best->nready)
			best = &cpus[i];
	}
	return best;
}

void sched_enqueue(struct thread *t)
{
	struct cpu *c;
	bool wake;

	t->state = THREAD_READY;
	if (t == cpus[t->cpu].idle)
		return;
	c = sched_pick(t);
	wake = c->current == c->idle;
	runq_add(c, t);
	if (wake && c != cpu_this())
		arch_ipi_resched(c->index);
}

/* Take one unpinned thread from the longest queue if c's is short. */
static void sched_balance(struct cpu *c)
{
	struct cpu *busy = NULL;
	struct list_node *n;

	for (int i = 0; i < sched_cpus; i++)
		if (&cpus[i] != c && (!busy || cpus[i].nready > busy->nready))
			busy = &cpus[i];
	if (!busy || busy->nready < c->nready + (c->nready ? 2 : 1))
		return;
	list_for_each(n, &busy->run_queue) {
		struct thread *t = list_entry(n, struct thread, run_link);

		if (t->pinned < 0) {
			list_del(&t->run_link);
			busy->nready--;
			runq_add(c, t);
			return;
		}
	}
}

/* Switch away from current; current->state already says why. Lock held. */
static void schedule(void)
{
	struct cpu *c = cpu_this();
	struct thread *prev = c->current, *next;
	bool was_on = c->irq_was_on;

	BUG_ON(!spin_held(&sched_lock) || c->ncli != 1);
	if (sched_cpus > 1)
		sched_balance(c);
	next = runq_pop(c);
	if (!next)
		next = c->idle;
	next->state = THREAD_RUNNING;
	c->need_resched = false;
	if (next == prev)
		return;
	next->cpu = c->index;
	c->current = next;
	arch_context_switch(&prev->ctx, &next->ctx);
	this_cpu.irq_was_on = was_on; /* perhaps on another CPU now */
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
	struct thread *t;

	spin_lock(&sched_lock);
	t = this_cpu.current;
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
		t->state = THREAD_RUNNING; /* never left its CPU */
	else if (t->state == THREAD_BLOCKED)
		sched_enqueue(t);
	spin_unlock(&sched_lock);
}

void thread_sleep_ns(u64 ns)
{
	struct thread *t = thread_current();
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

void irq_resched(void)
{
	this_cpu.need_resched = true;
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
	unsigned long flags = arch_irq_save();
	struct thread *t = this_cpu.current;

	arch_irq_restore(flags);
	return t;
}

int sched_ncpus(void)
{
	return __atomic_load_n(&sched_cpus, __ATOMIC_RELAXED);
}

int sched_cpu_index(void)
{
	unsigned long flags = arch_irq_save();
	int i = arch_cpu_index();

	arch_irq_restore(flags);
	return i;
}

struct lock_stack *lockrank_cpu_stack(void)
{
	return &this_cpu.spins;
}

/* Before the scheduler starts, the boot flow is boot_thread already. */
struct lock_stack *lockrank_thread_stack(void)
{
	struct thread *t = thread_current();

	return t ? &t->mutexes : &boot_thread.mutexes;
}

/* Sleeps only when nothing is queued here: a thread queued after the
 * check comes with an IPI, which ends the hlt. */
static void idle_loop(void *arg)
{
	for (;;) {
		arch_irq_disable();
		if (!__atomic_load_n(&this_cpu.nready, __ATOMIC_RELAXED))
			arch_wait_for_interrupt();
		else
			arch_irq_enable();
		thread_yield();
	}
}

void sched_init(void)
{
	for (int i = 0; i < MAX_CPUS; i++) {
		cpus[i].index = i;
		list_init(&cpus[i].run_queue);
	}
	boot_thread.state = THREAD_RUNNING;
	boot_thread.id = 0;
	boot_thread.pinned = -1;
	__builtin_memcpy(boot_thread.name, "boot", 5);
	list_init(&boot_thread.run_link);
	list_init(&boot_thread.sleep_link);
	wait_queue_init(&boot_thread.exited);
	cpus[0].current = &boot_thread;
	cpus[0].online = true;
}

void sched_start(void)
{
	struct thread *idle = thread_make(idle_loop, NULL, "idle0", false, 0);

	if (!idle)
		panic("cannot create the idle thread");
	spin_lock(&sched_lock);
	cpus[0].idle = idle;
	spin_unlock(&sched_lock);
	arch_timer_start(TICK_HZ);
}

/* An AP's boot flow becomes its idle thread. */
static __noreturn void sched_ap_main(int index)
{
	char name[16];
	struct thread *idle;

	fmt_snprintf(name, sizeof(name), "idle%d", index);
	idle = thread_adopt(name, index);
	if (!idle)
		panic("cannot create CPU %d's idle thread", index);
	spin_lock(&sched_lock);
	cpus[index].idle = cpus[index].current = idle;
	__atomic_store_n(&cpus[index].online, true, __ATOMIC_RELEASE);
	spin_unlock(&sched_lock);
	arch_timer_start(TICK_HZ);
	arch_irq_enable();
	idle_loop(NULL);
	panic("idle returned");
}

/* The APs take threads once all are online (sched_cpus counts them). */
void sched_smp_start(void)
{
	int n = arch_smp_start(sched_ap_main);

	for (int i = 0; i < n; i++)
		while (!__atomic_load_n(&cpus[i].online, __ATOMIC_ACQUIRE))
			arch_cpu_relax();
	spin_lock(&sched_lock);
	sched_cpus = n;
	spin_unlock(&sched_lock);
}
