/* sort_u64 against random, sorted, reversed and duplicate-heavy input. */
#include <tessera/ktest.h>
#include <tessera/sort.h>

static bool sorted_perm(const u64 *a, size_t n, u64 sum)
{
	u64 s = 0;

	for (size_t i = 0; i < n; i++) {
		if (i && a[i - 1] > a[i])
			return false;
		s += a[i];
	}
	return s == sum;
}

KTEST(sort, shapes)
{
	static u64 a[1000];
	u64 x = 12345, sum;

	for (int shape = 0; shape < 4; shape++) {
		sum = 0;
		for (size_t i = 0; i < 1000; i++) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			a[i] = shape == 0 ? x >> 20 : shape == 1 ? i : shape == 2 ? 1000 - i : x % 3;
			sum += a[i];
		}
		sort_u64(a, 1000);
		KT_EXPECT(t, sorted_perm(a, 1000, sum));
	}
	sort_u64(a, 0);
	sort_u64(a, 1);
}
