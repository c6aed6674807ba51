/* fmt_snprintf against the conversions printk relies on. */
#include <tessera/fmt.h>
#include <tessera/ktest.h>
#include <tessera/string.h>

static bool fmt_is(const char *want, const char *fmt, ...)
{
	char buf[64];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (strcmp(buf, want)) {
		ktest_log("format \"%s\": got \"%s\", want \"%s\"", fmt, buf, want);
		return false;
	}
	return true;
}

KTEST(fmt, integers)
{
	KT_EXPECT(t, fmt_is("42 -7 0", "%d %i %u", 42, -7, 0u));
	KT_EXPECT(t, fmt_is("ff 0XFF", "%x %#X", 255u, 255u));
	KT_EXPECT(t, fmt_is("755 0100000 1777777777777777777777", "%o 0%o %llo", 0755u, 0100000u,
			    ~0ull));
	KT_EXPECT(t, fmt_is("-9223372036854775808", "%lld", (long long)(-9223372036854775807LL - 1)));
	KT_EXPECT(t, fmt_is("18446744073709551615", "%llu", ~0ull));
	KT_EXPECT(t, fmt_is("255 65535", "%hhu %hu", 0x1ff, 0x1ffff));
	KT_EXPECT(t, fmt_is("0x1000", "%p", (void *)0x1000));
}

KTEST(fmt, width_and_flags)
{
	KT_EXPECT(t, fmt_is("   42|42   |00042", "%5d|%-5d|%05d", 42, 42, 42));
	KT_EXPECT(t, fmt_is("+3 -3", "%+d %+d", 3, -3));
	KT_EXPECT(t, fmt_is("-0042", "%05d", -42));
	KT_EXPECT(t, fmt_is("0x002a", "%#06x", 42u));
	KT_EXPECT(t, fmt_is("  abc|ab", "%5s|%.2s", "abc", "abc"));
	KT_EXPECT(t, fmt_is("x  |%", "%-3c|%%", 'x'));
	KT_EXPECT(t, fmt_is("   7", "%*d", 4, 7));
}

KTEST(fmt, truncation)
{
	char buf[4];
	int n = fmt_snprintf(buf, sizeof(buf), "%s", "abcdef");

	KT_EXPECT_EQ(t, n, 6);
	KT_EXPECT(t, !strcmp(buf, "abc"));
	KT_EXPECT_EQ(t, fmt_snprintf(NULL, 0, "%d", 12345), 5);
}
