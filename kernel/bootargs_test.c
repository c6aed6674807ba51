/* Boot-argument parser tests (kernel and host). */
#include <tessera/bootargs.h>
#include <tessera/errno.h>
#include <tessera/ktest.h>
#include <tessera/string.h>

BOOTARG_KNOWN(testarg_known, "declared by the boot-argument tests");

static int unknown_seen;

static void count_unknown(const char *key)
{
	unknown_seen++;
}

KTEST(bootargs, parse_words_and_flags)
{
	static struct bootargs ba;

	bootargs_parse(&ba, "  name=p0 ip=10.77.0.2\tquiet  name=p1 =x ");
	KT_EXPECT_EQ(t, ba.n, 3);
	KT_EXPECT_EQ(t, ba.dropped, 1); /* "=x" has no key */
	KT_EXPECT(t, !strcmp(bootargs_get(&ba, "name"), "p1")); /* later wins */
	KT_EXPECT(t, !strcmp(bootargs_get(&ba, "ip"), "10.77.0.2"));
	KT_EXPECT(t, !strcmp(bootargs_get(&ba, "quiet"), "1"));
	KT_EXPECT(t, bootargs_get(&ba, "nope") == NULL);
}

KTEST(bootargs, typed_numbers_and_sizes)
{
	static struct bootargs ba;
	u64 v = 7;

	bootargs_parse(&ba, "a=42 b=0x1F c=16M d=2G e=12x f= g=99999999999999999999 h=-1");
	KT_EXPECT(t, bootargs_u64(&ba, "a", &v) == 0 && v == 42);
	KT_EXPECT(t, bootargs_u64(&ba, "b", &v) == 0 && v == 31);
	KT_EXPECT(t, bootargs_u64(&ba, "c", &v) == 0 && v == 16 * MiB);
	KT_EXPECT(t, bootargs_u64(&ba, "d", &v) == 0 && v == 2 * GiB);
	v = 7;
	KT_EXPECT_EQ(t, bootargs_u64(&ba, "e", &v), -EINVAL);
	KT_EXPECT_EQ(t, bootargs_u64(&ba, "f", &v), -EINVAL);
	KT_EXPECT_EQ(t, bootargs_u64(&ba, "g", &v), -EINVAL);
	KT_EXPECT_EQ(t, bootargs_u64(&ba, "h", &v), -EINVAL);
	KT_EXPECT_EQ(t, bootargs_u64(&ba, "zz", &v), -ENOENT);
	KT_EXPECT_EQ(t, v, 7); /* untouched on error */
}

KTEST(bootargs, booleans)
{
	static struct bootargs ba;
	bool b = false;

	bootargs_parse(&ba, "x=on y=false z=maybe w");
	KT_EXPECT(t, bootargs_bool(&ba, "x", &b) == 0 && b);
	KT_EXPECT(t, bootargs_bool(&ba, "y", &b) == 0 && !b);
	KT_EXPECT_EQ(t, bootargs_bool(&ba, "z", &b), -EINVAL);
	KT_EXPECT(t, bootargs_bool(&ba, "w", &b) == 0 && b);
}

KTEST(bootargs, unknown_keys_reported)
{
	static struct bootargs ba;

	bootargs_parse(&ba, "testarg_known=1 bogus_key=3 another_bogus");
	unknown_seen = 0;
	KT_EXPECT_EQ(t, bootargs_check_known(&ba, count_unknown), 2);
	KT_EXPECT_EQ(t, unknown_seen, 2);
}

KTEST(bootargs, overflow_of_table_is_counted)
{
	static struct bootargs ba;
	char line[BOOTARGS_MAX * 8 + 64];
	int n = 0;

	for (int i = 0; i < BOOTARGS_MAX + 3; i++) {
		line[n++] = 'k';
		line[n++] = 'a' + i / 26;
		line[n++] = 'a' + i % 26;
		line[n++] = ' ';
	}
	line[n] = 0;
	bootargs_parse(&ba, line);
	KT_EXPECT_EQ(t, ba.n, BOOTARGS_MAX);
	KT_EXPECT_EQ(t, ba.dropped, 3);
}
