/* String and memory functions; the kernel provides them in kernel/lib/,
 * Linux programs get them from libc. Standard prototypes. */
#ifndef TESSERA_STRING_H
#define TESSERA_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

/* Copy src into dst of size bytes, always NUL-terminated (size > 0);
 * returns strlen(src). Ours, not libc's: kernel/lib/strutil.c. */
size_t str_copy(char *dst, const char *src, size_t size);

#endif
