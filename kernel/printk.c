/* printk: leveled kernel log to the console. console_lock keeps lines whole. */
#include <tessera/arch.h>
#include <tessera/fmt.h>
#include <tessera/lock.h>
#include <tessera/lockrank.h>
#include <tessera/printk.h>
#include <tessera/time.h>

static struct spinlock console_lock = SPINLOCK_INIT("console", LOCK_RANK_CONSOLE);
static int log_level = LOG_INFO;

void printk_set_level(int level)
{
	log_level = level;
}

static void console_vprintf(const char *prefix, const char *fmt, va_list ap)
{
	char line[512];
	int n = 0;

	if (prefix)
		n = fmt_snprintf(line, sizeof(line), "%s", prefix);
	n += fmt_vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	n = MIN(n, (int)sizeof(line) - 1);
	spin_lock(&console_lock);
	arch_console_write(line, n);
	spin_unlock(&console_lock);
}

void vprintk(int level, const char *fmt, va_list ap)
{
	char prefix[32];
	u64 us;

	if (level > log_level)
		return;
	us = time_ns() / 1000;
	fmt_snprintf(prefix, sizeof(prefix), "[%5llu.%06llu] ",
		     (unsigned long long)(us / 1000000),
		     (unsigned long long)(us % 1000000));
	console_vprintf(prefix, fmt, ap);
}

void printk(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(level, fmt, ap);
	va_end(ap);
}

void console_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vprintf(NULL, fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	arch_irq_disable();
	arch_halt_others();
	lockrank_stop(); /* printing below takes locks under any lock */
	console_lock.locked = 0; /* the panicking path may have held it */
	console_printf("\nPANIC: ");
	va_start(ap, fmt);
	console_vprintf(NULL, fmt, ap);
	va_end(ap);
	console_printf("\n");
	arch_dump_stack();
	arch_exit(false);
}
