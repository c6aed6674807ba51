/* The few kernel services portable code calls, for host unit tests:
 * interrupt nesting is a no-op, the log goes to stdout with a "# " prefix
 * (TAP diagnostics), panic aborts the test program, lock-rank stacks are
 * per host thread. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <tessera/lock.h>
#include <tessera/lockrank.h>
#include <tessera/printk.h>

/* Host tests are single-threaded per lock user: one stack each. */
static __thread struct lock_stack shim_spins, shim_mutexes;

struct lock_stack *lockrank_cpu_stack(void)
{
	return &shim_spins;
}

struct lock_stack *lockrank_thread_stack(void)
{
	return &shim_mutexes;
}

void irq_push_off(void)
{
}

void irq_pop_off(void)
{
}

void vprintk(int level, const char *fmt, va_list ap)
{
	printf("# ");
	vprintf(fmt, ap);
}

void printk(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(level, fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	printf("# PANIC: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	abort();
}
