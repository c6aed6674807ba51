/* String helpers of our own (not in libc), portable to the host. */
#include <tessera/string.h>

size_t str_copy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src), c = n < size ? n : size - 1;

	memcpy(dst, src, c);
	dst[c] = 0;
	return n;
}
