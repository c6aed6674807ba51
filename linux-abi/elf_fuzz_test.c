/* ELF loader fuzz test: thousands of deterministic random mutations of the
 * headers of real binaries. Each run must either be refused cleanly or give
 * a plan that satisfies every invariant (elf_plan_violation); a crash or a
 * bad plan fails the test. */
#include <string.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>

#include "linux-abi/elf_test_util.h"

#define FUZZ_ROUNDS 3000
#define HDR_BYTES 4096 /* the loader only reads the first page's headers */

static u64 rng_next(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Values that sit on the edges the loader checks. */
static u64 interesting(u64 *s, u64 file_size)
{
	static const u64 v[] = { 0, 1, 0xfff, 0x1000, 0x10000, 0x400000,
				 0x7ffffffff000ull, 0x800000000000ull,
				 0xffff800000000000ull, ~0ull, ~0ull - 0xfff };
	u64 r = rng_next(s);

	if (r % 4 == 0)
		return file_size + (r >> 8) % 3 - 1;
	return v[(r >> 8) % ARRAY_SIZE(v)];
}

/* Overwrite one field-sized, field-aligned slot of a header with an edge
 * value, or flip random bytes. */
static void mutate(struct mem_elf *m, u64 *s)
{
	struct elf64_ehdr *eh = mem_elf_ehdr(m);
	u64 r = rng_next(s);
	u32 span = 64 + MIN(eh->e_phnum, 16u) * 56u;
	u32 off = (u32)(rng_next(s) % span);

	switch (r % 4) {
	case 0:
		off &= ~7u;
		if (off + 8 <= HDR_BYTES) {
			u64 v = interesting(s, m->size);
			memcpy(m->data + off, &v, 8);
		}
		break;
	case 1:
		m->data[off] = (u8)(r >> 8);
		break;
	case 2:
		m->data[off] ^= (u8)(1u << ((r >> 8) % 8));
		break;
	default:
		off &= ~1u;
		m->data[off] = (u8)(r >> 16);
		m->data[off + 1] = (u8)(r >> 24);
		break;
	}
}

static void fuzz_file(struct ktest_ctx *t, const char *path, u64 seed)
{
	struct mem_elf m;
	struct elf_plan p;
	u8 orig[HDR_BYTES];
	u64 s = seed;
	u32 accepted = 0, bad = 0;

	KT_ASSERT(t, mem_elf_load(&m, path));
	memcpy(orig, m.data, HDR_BYTES);
	for (u32 i = 0; i < FUZZ_ROUNDS; i++) {
		u32 n = 1 + rng_next(&s) % 6;
		const char *why;
		int r;

		memcpy(m.data, orig, HDR_BYTES);
		while (n--)
			mutate(&m, &s);
		m.src.size = rng_next(&s) % 16 ? m.size : rng_next(&s) % m.size;
		r = elf_load_plan(&m.src, 0, &p);
		if (r != 0 && r != -ENOEXEC)
			bad++;
		if (r != 0)
			continue;
		accepted++;
		why = elf_plan_violation(&p, m.src.size);
		if (why && bad++ < 5)
			ktest_log("%s round %u: %s", path, i, why);
	}
	ktest_log("%s: %u of %u mutations accepted", path, accepted, FUZZ_ROUNDS);
	KT_EXPECT_EQ(t, bad, 0);
	mem_elf_free(&m);
}

KTEST(elf_fuzz, busybox)
{
	fuzz_file(t, "/bin/busybox", 0x5eed1234abcdull);
}

KTEST(elf_fuzz, static_pie)
{
	fuzz_file(t, "build/progs/hello-pie", 0x9e3779b97f4a7c15ull);
}

KTEST(elf_fuzz, musl)
{
	fuzz_file(t, "build/progs/hello-musl", 0x2545f4914f6cdd1dull);
}
