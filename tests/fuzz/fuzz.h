/*
 * What every libFuzzer target here shares. A target is one fuzz_NAME.c
 * that defines LLVMFuzzerTestOneInput; it feeds the input to one decoder
 * the way the network or a disk would, and turns a broken invariant into a
 * crash (FUZZ_CHECK) so that the fuzzer reports it. Built with clang,
 * ASan and UBSan (tests/fuzz/build.mk); run by tools/fuzz.py.
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include <tessera/types.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant: abort with the condition, as a crash. */
#define FUZZ_CHECK(cond) ((cond) ? (void)0 : fuzz_fail(#cond, __FILE__, __LINE__))
void fuzz_fail(const char *cond, const char *file, int line) __attribute__((noreturn));

/* Bytes taken from the front of the input, for choices and lengths. */
struct fuzz_in {
	const u8 *p;
	size_t left;
};
u8 fuzz_u8(struct fuzz_in *in);
u32 fuzz_u32(struct fuzz_in *in);
/* Up to max bytes (fewer at the end of the input); their length in *len. */
const u8 *fuzz_bytes(struct fuzz_in *in, size_t max, size_t *len);

#endif
