/* Heapsort for u64 arrays; portable (host-tested). */
#include <tessera/sort.h>

static void sort_sift(u64 *a, size_t root, size_t n)
{
	for (;;) {
		size_t c = 2 * root + 1;
		u64 t;

		if (c >= n)
			return;
		if (c + 1 < n && a[c + 1] > a[c])
			c++;
		if (a[root] >= a[c])
			return;
		t = a[root];
		a[root] = a[c];
		a[c] = t;
		root = c;
	}
}

void sort_u64(u64 *a, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sort_sift(a, i, n);
	for (size_t end = n; end-- > 1;) {
		u64 t = a[0];

		a[0] = a[end];
		a[end] = t;
		sort_sift(a, 0, end);
	}
}
