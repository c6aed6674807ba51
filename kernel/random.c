/*
 * The kernel's random number generator: ChaCha20 run as a fast-key-erasure
 * generator. The first use seeds the key from the CPU's generator (RDRAND)
 * when there is one and from the cycle counter; every call then mixes in
 * the cycle counter (and RDRAND again) as the nonce, draws the caller's
 * bytes from the keystream, and replaces the key with fresh keystream
 * before it returns, so the bytes handed out cannot be recomputed from a
 * later state.
 *
 * Locking: random_lock (spinlock) guards key and seeded; it is dropped
 * every RANDOM_CHUNK bytes, so a large request does not hold it long.
 */
#include <tessera/arch.h>
#include <tessera/lock.h>
#include <tessera/lockrank.h>
#include <tessera/random.h>
#include <tessera/string.h>

#define RANDOM_CHUNK 256 /* bytes drawn per hold of the lock */

static struct spinlock random_lock = SPINLOCK_INIT("random", LOCK_RANK_RANDOM);
static u32 key[8];    /* [random_lock] */
static bool seeded;   /* [random_lock] */

static u32 rotl(u32 v, int n)
{
	return (v << n) | (v >> (32 - n));
}

#define QR(a, b, c, d)                                   \
	do {                                             \
		a += b; d = rotl(d ^ a, 16);             \
		c += d; b = rotl(b ^ c, 12);             \
		a += b; d = rotl(d ^ a, 8);              \
		c += d; b = rotl(b ^ c, 7);              \
	} while (0)

void chacha20_block(const u32 k[8], u32 counter, const u32 nonce[3], u8 out[64])
{
	u32 in[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 }, x[16];

	memcpy(&in[4], k, 32);
	in[12] = counter;
	memcpy(&in[13], nonce, 12);
	memcpy(x, in, sizeof(x));
	for (int i = 0; i < 10; i++) {
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < 16; i++)
		x[i] += in[i];
	memcpy(out, x, 64);
}

/* 64 bits of whatever the machine gives: RDRAND if it can, the cycle
 * counter always. */
static u64 random_noise(void)
{
	u64 r = 0;

	arch_random_u64(&r);
	return r ^ arch_cycles();
}

/* Up to RANDOM_CHUNK bytes, then a new key. random_lock held. */
static void random_draw(u8 *buf, u64 len)
{
	u64 noise = random_noise();
	u32 nonce[3] = { (u32)noise, (u32)(noise >> 32), (u32)arch_cycles() };
	u8 block[64];
	u32 ctr = 0;

	for (u64 done = 0; done < len; done += 64) {
		chacha20_block(key, ++ctr, nonce, block);
		memcpy(buf + done, block, MIN(64ull, len - done));
	}
	chacha20_block(key, 0, nonce, block);
	memcpy(key, block, sizeof(key));
	memset(block, 0, sizeof(block));
}

static void random_seed(void)
{
	for (int i = 0; i < 8; i += 2) {
		u64 r = random_noise();

		key[i] ^= (u32)r;
		key[i + 1] ^= (u32)(r >> 32);
	}
	seeded = true;
}

void random_bytes(void *buf, u64 len)
{
	u8 *b = buf;

	for (u64 done = 0; done < len; done += RANDOM_CHUNK) {
		spin_lock(&random_lock);
		if (!seeded)
			random_seed();
		random_draw(b + done, MIN((u64)RANDOM_CHUNK, len - done));
		spin_unlock(&random_lock);
	}
}
