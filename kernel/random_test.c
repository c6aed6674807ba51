/* The random generator: its ChaCha20 block matches RFC 8439's vector,
 * and what it hands out is not the same twice and not all zero. */
#include <tessera/ktest.h>
#include <tessera/random.h>
#include <tessera/string.h>

KTEST(random, chacha20_block_matches_rfc8439)
{
	static const u8 want[16] = { 0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15,
				     0x50, 0x0f, 0xdd, 0x1f, 0xa3, 0x20, 0x71, 0xc4 };
	static const u8 want_end[4] = { 0xa2, 0x50, 0x3c, 0x4e };
	u32 key[8], nonce[3] = { 0x09000000, 0x4a000000, 0 };
	u8 out[64];

	for (int i = 0; i < 8; i++)
		key[i] = (u32)(4 * i) | (u32)(4 * i + 1) << 8 | (u32)(4 * i + 2) << 16 |
			 (u32)(4 * i + 3) << 24;
	chacha20_block(key, 1, nonce, out);
	KT_EXPECT_EQ(t, memcmp(out, want, sizeof(want)), 0);
	KT_EXPECT_EQ(t, memcmp(out + 60, want_end, sizeof(want_end)), 0);
}

KTEST(random, bytes_differ_and_are_not_zero)
{
	u8 a[300], b[300];
	int nonzero = 0;

	random_bytes(a, sizeof(a));
	random_bytes(b, sizeof(b));
	for (u32 i = 0; i < sizeof(a); i++)
		nonzero += a[i] != 0;
	KT_EXPECT(t, nonzero > 250);
	KT_EXPECT(t, memcmp(a, b, sizeof(a)) != 0);
}
