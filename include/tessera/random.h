/* The kernel's random number generator (kernel/random.c). */
#ifndef TESSERA_RANDOM_H
#define TESSERA_RANDOM_H

#include <tessera/types.h>

/* Fill buf with len unpredictable bytes. Any context but interrupt
 * handlers; never blocks. */
void random_bytes(void *buf, u64 len);

/* The ChaCha20 block function (RFC 8439 2.3): 64 bytes of keystream for
 * key (8 words), counter and nonce (3 words). For random.c and its test. */
void chacha20_block(const u32 key[8], u32 counter, const u32 nonce[3], u8 out[64]);

#endif
