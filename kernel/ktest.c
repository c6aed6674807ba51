/*
 * In-kernel test runner, linked into test images only: the last initcall
 * runs the KTEST()s selected by the ktest= boot argument, prints KTAP on
 * the console and leaves the emulator with a pass/fail status
 * (arch_exit). Tests run one at a time in the boot thread; a test that
 * faults ends the run through the exception path (failure). Without
 * ktest= the image goes on to start its role.
 */
#include <stdarg.h>

#include <tessera/arch.h>
#include <tessera/bootargs.h>
#include <tessera/fmt.h>
#include <tessera/ktest.h>
#include <tessera/printk.h>
#include <tessera/role.h>
#include <tessera/string.h>

#include "kernel/globals.h"

BOOTARG_KNOWN(ktest, "run in-kernel tests: all, a suite, or suite.name");

extern const struct ktest __start_ktests[], __stop_ktests[];

void ktest_fail(struct ktest_ctx *t, const char *file, int line, const char *what)
{
	t->failures++;
	console_printf("# FAIL %s:%d: %s\n", file, line, what);
}

void ktest_log(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_printf("# %s\n", buf);
}

/* sel: "all" (every non-manual test), a suite, "suite.name" or "suite-name". */
static bool ktest_selected(const struct ktest *k, const char *sel)
{
	size_t n = strlen(k->suite);

	if (!strcmp(sel, "all"))
		return !(k->flags & KTEST_F_MANUAL);
	if (strncmp(sel, k->suite, n))
		return false;
	if (sel[n] == 0)
		return true;
	return (sel[n] == '.' || sel[n] == '-') && !strcmp(sel + n + 1, k->name);
}

static void ktest_run_selected(const char *sel)
{
	const struct ktest *k;
	int n = 0, failed = 0;

	for (k = __start_ktests; k < __stop_ktests; k++)
		n += ktest_selected(k, sel);
	console_printf("KTAP version 1\n1..%d\n", n);
	n = 0;
	for (k = __start_ktests; k < __stop_ktests; k++) {
		struct ktest_ctx t = { 0 };

		if (!ktest_selected(k, sel))
			continue;
		k->fn(&t);
		console_printf("%sok %d %s.%s\n", t.failures ? "not " : "", ++n,
			       k->suite, k->name);
		failed += t.failures != 0;
	}
	console_printf("# ktest: %d passed, %d failed\n", n - failed, failed);
	arch_exit(n > 0 && failed == 0);
}

static int ktest_boot(void)
{
	const char *sel = bootarg_str("ktest", NULL);

	if (sel)
		ktest_run_selected(sel);
	return 0;
}
LAST_INITCALL(ktest_boot);
