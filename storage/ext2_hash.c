/*
 * The hashes of hashed (htree) directories, as the ext3 format defines
 * them: the legacy hash, half MD4 and TEA over the name packed into
 * 32-bit words, each with signed or unsigned chars (the volume's flags
 * say which; versions 3 to 5 are the unsigned ones). The low bit of the
 * result is cleared (the index uses it to mark a hash that continues in
 * the next block) and the end-of-directory value is never returned.
 * host tests compare them with debugfs's dx_hash.
 *
 * Pure functions, no state.
 */
#include <tessera/errno.h>

#include "storage/ext2.h"

static u32 rol32(u32 x, int s)
{
	return x << s | x >> (32 - s);
}

static int name_char(const char *name, u32 i, bool uns)
{
	return uns ? (int)(u8)name[i] : (int)(s8)name[i];
}

static u32 legacy_hash(const char *name, u32 len, bool uns)
{
	u32 h0 = 0x12a3fe2d, h1 = 0x37abe8f9;

	for (u32 i = 0; i < len; i++) {
		u32 h = h1 + (h0 ^ (u32)(name_char(name, i, uns) * 7152373));

		if (h & 0x80000000u)
			h -= 0x7fffffff;
		h1 = h0;
		h0 = h;
	}
	return h0 << 1;
}

/* Pack up to num * 4 bytes of msg (len bytes left) into num words,
 * padded with a word made of the length. */
static void pack_words(const char *msg, u32 len, u32 *buf, u32 num, bool uns)
{
	u32 pad = len | len << 8, val, i;

	pad |= pad << 16;
	val = pad;
	len = MIN(len, num * 4);
	for (i = 0; i < len; i++) {
		if (i % 4 == 0)
			val = pad;
		val = (u32)name_char(msg, i, uns) + (val << 8);
		if (i % 4 == 3) {
			*buf++ = val;
			val = pad;
			num--;
		}
	}
	if (num) {
		*buf++ = val;
		num--;
	}
	while (num--)
		*buf++ = pad;
}

#define MD4_F(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MD4_G(x, y, z) (((x) & (y)) + (((x) ^ (y)) & (z)))
#define MD4_H(x, y, z) ((x) ^ (y) ^ (z))
#define MD4_K2 013240474631u
#define MD4_K3 015666365641u

/* Half of MD4's rounds over eight words. */
static void half_md4(u32 buf[4], const u32 in[8])
{
	static const u8 r1[8] = { 3, 7, 11, 19, 3, 7, 11, 19 };
	static const u8 r2[8] = { 3, 5, 9, 13, 3, 5, 9, 13 };
	static const u8 r3[8] = { 3, 9, 11, 15, 3, 9, 11, 15 };
	static const u8 i2[8] = { 1, 3, 5, 7, 0, 2, 4, 6 };
	static const u8 i3[8] = { 3, 7, 2, 6, 1, 5, 0, 4 };
	u32 v[4] = { buf[0], buf[1], buf[2], buf[3] };

	/* Step k updates v[(4 - k % 4) % 4]: a, d, c, b, a, ... */
	for (int k = 0; k < 8; k++) {
		u32 *a = &v[(4 - k % 4) % 4], b = v[(5 - k % 4) % 4],
		    c = v[(6 - k % 4) % 4], d = v[(7 - k % 4) % 4];

		*a = rol32(*a + MD4_F(b, c, d) + in[k], r1[k]);
	}
	for (int k = 0; k < 8; k++) {
		u32 *a = &v[(4 - k % 4) % 4], b = v[(5 - k % 4) % 4],
		    c = v[(6 - k % 4) % 4], d = v[(7 - k % 4) % 4];

		*a = rol32(*a + MD4_G(b, c, d) + in[i2[k]] + MD4_K2, r2[k]);
	}
	for (int k = 0; k < 8; k++) {
		u32 *a = &v[(4 - k % 4) % 4], b = v[(5 - k % 4) % 4],
		    c = v[(6 - k % 4) % 4], d = v[(7 - k % 4) % 4];

		*a = rol32(*a + MD4_H(b, c, d) + in[i3[k]] + MD4_K3, r3[k]);
	}
	for (int i = 0; i < 4; i++)
		buf[i] += v[i];
}

static void tea(u32 buf[4], const u32 in[4])
{
	u32 sum = 0, b0 = buf[0], b1 = buf[1];

	for (int n = 0; n < 16; n++) {
		sum += 0x9E3779B9u;
		b0 += ((b1 << 4) + in[0]) ^ (b1 + sum) ^ ((b1 >> 5) + in[1]);
		b1 += ((b0 << 4) + in[2]) ^ (b0 + sum) ^ ((b0 >> 5) + in[3]);
	}
	buf[0] += b0;
	buf[1] += b1;
}

static void seed_buf(const u32 seed[4], u32 buf[4])
{
	static const u32 def[4] = { 0x67452301, 0xefcdab89, 0x98badcfe,
				    0x10325476 };
	bool zero = !(seed[0] | seed[1] | seed[2] | seed[3]);

	for (int i = 0; i < 4; i++)
		buf[i] = zero ? def[i] : seed[i];
}

int ext2_hash(u32 version, const u32 seed[4], const char *name, u32 len,
	      u32 *hash)
{
	bool uns = version >= EXT2_HASH_UNSIGNED;
	u32 buf[4], in[8], h;

	if (version > EXT2_HASH_TEA + EXT2_HASH_UNSIGNED)
		return -EINVAL;
	seed_buf(seed, buf);
	switch (version % EXT2_HASH_UNSIGNED) {
	case EXT2_HASH_LEGACY:
		h = legacy_hash(name, len, uns);
		break;
	case EXT2_HASH_HALF_MD4:
		for (u32 off = 0; off < len; off += 32) {
			pack_words(name + off, len - off, in, 8, uns);
			half_md4(buf, in);
		}
		h = buf[1];
		break;
	default:
		for (u32 off = 0; off < len; off += 16) {
			pack_words(name + off, len - off, in, 4, uns);
			tea(buf, in);
		}
		h = buf[0];
		break;
	}
	h &= ~1u;
	if (h == EXT2_HTREE_EOF << 1)
		h = (EXT2_HTREE_EOF - 1) << 1;
	*hash = h;
	return 0;
}
