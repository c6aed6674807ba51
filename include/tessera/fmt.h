/* Formatted output into a buffer: a subset of C's printf conversions
 * (%d %i %u %o %x %X %p %s %c %%, flags - 0 # space +, width, precision,
 * length modifiers hh h l ll z). Portable: the kernel's printk and the host
 * tests use the same code. Returns the length the full output would have. */
#ifndef TESSERA_FMT_H
#define TESSERA_FMT_H

#include <stdarg.h>
#include <tessera/types.h>

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
