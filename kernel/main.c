/*
 * kernel_main: the portable half of boot. Reads the boot arguments, starts
 * the scheduler and the tick, brings up the other CPUs, runs the initcalls (drivers, services; in a
 * test image the last one runs the in-kernel tests and leaves the
 * emulator), then starts the image's role and leaves the boot thread.
 */
#include <tessera/arch.h>
#include <tessera/boot.h>
#include <tessera/bootargs.h>
#include <tessera/pmm.h>
#include <tessera/printk.h>
#include <tessera/role.h>
#include <tessera/thread.h>

#include "kernel/globals.h"

BOOTARG_KNOWN(loglevel, "console log level: 3 errors .. 7 debug");
BOOTARG_KNOWN(name, "this component's name in the cluster");

struct bootargs boot_args;
extern const initcall_fn __start_initcalls[], __stop_initcalls[];

static void report_unknown(const char *key)
{
	pr_warn("boot: unknown boot argument '%s' (ignored)\n", key);
}

static void run_initcalls(void)
{
	for (const initcall_fn *f = __start_initcalls; f < __stop_initcalls; f++) {
		int err = (*f)();

		if (err)
			pr_err("boot: initcall %p failed: %d\n", (void *)*f, err);
	}
}

void kernel_main(void)
{
	const struct role_ops *role = role_get();
	int err;

	bootargs_parse(&boot_args, boot_info.cmdline);
	printk_set_level((int)bootarg_u64("loglevel", LOG_INFO));
	pr_info("Tessera %s monitor (boot: %s, cmdline: \"%s\")\n", role->name,
		boot_info.loader, boot_info.cmdline);
	bootargs_check_known(&boot_args, report_unknown);
	if (boot_args.dropped)
		pr_warn("boot: %d malformed boot arguments ignored\n", boot_args.dropped);
	sched_init();
	sched_start();
	arch_irq_enable();
	sched_smp_start();
	run_initcalls();
	err = role->start();
	if (err)
		panic("%s role failed to start: %d", role->name, err);
	thread_exit();
}
