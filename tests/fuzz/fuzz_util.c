/* The helpers of tests/fuzz/fuzz.h, and the test log for test helpers
 * that targets link (they print to stderr). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <tessera/ktest.h>

#include "tests/fuzz/fuzz.h"

void fuzz_fail(const char *cond, const char *file, int line)
{
	fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, cond);
	abort();
}

u8 fuzz_u8(struct fuzz_in *in)
{
	u8 v = 0;

	if (in->left) {
		v = *in->p++;
		in->left--;
	}
	return v;
}

u32 fuzz_u32(struct fuzz_in *in)
{
	u32 v = 0;

	for (int i = 0; i < 4; i++)
		v = v << 8 | fuzz_u8(in);
	return v;
}

const u8 *fuzz_bytes(struct fuzz_in *in, size_t max, size_t *len)
{
	const u8 *p = in->p;

	*len = max < in->left ? max : in->left;
	in->p += *len;
	in->left -= *len;
	return p;
}

void ktest_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
