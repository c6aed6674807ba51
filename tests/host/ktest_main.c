/*
 * Host runner for KTEST() tests: runs every test linked into this program
 * (or those named on the command line as suite or suite.name) and prints
 * TAP. Exit status 0 only if every test ran and passed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <tessera/ktest.h>

extern const struct ktest __start_ktests[], __stop_ktests[];

void ktest_fail(struct ktest_ctx *t, const char *file, int line,
		const char *what)
{
	t->failures++;
	printf("# FAIL %s:%d: %s\n", file, line, what);
}

void ktest_log(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static int selected(const struct ktest *k, int argc, char **argv)
{
	char full[128];

	if (argc < 2)
		return !(k->flags & KTEST_F_MANUAL);
	snprintf(full, sizeof(full), "%s.%s", k->suite, k->name);
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], k->suite) || !strcmp(argv[i], full))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	const struct ktest *k;
	int n = 0, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (k = __start_ktests; k < __stop_ktests; k++)
		n += selected(k, argc, argv);
	printf("TAP version 13\n1..%d\n", n);
	n = 0;
	for (k = __start_ktests; k < __stop_ktests; k++) {
		struct ktest_ctx t = { 0 };

		if (!selected(k, argc, argv))
			continue;
		k->fn(&t);
		printf("%sok %d %s.%s\n", t.failures ? "not " : "", ++n,
		       k->suite, k->name);
		failed += t.failures != 0;
	}
	return failed ? 1 : 0;
}
