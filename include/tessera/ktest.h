/*
 * Unit tests that sit beside the code they test.
 *
 * A test is declared with KTEST(suite, name) { ... } in a file next to the
 * code (kernel/pmm_test.c beside kernel/pmm.c). The same file builds into a
 * monitor image, where kernel/ktest.c runs it and prints KTAP on the serial
 * console, and into a Linux host test, where tests/host/ktest_main.c runs it
 * and prints TAP. Tests are found through the "ktests" linker section.
 *
 * KTEST_MANUAL(suite, name) declares a test that `ktest=all` skips; it runs
 * only when named (ktest=fault-demo).
 */
#ifndef TESSERA_KTEST_H
#define TESSERA_KTEST_H

#include <tessera/types.h>

struct ktest_ctx {
	int failures;
};

struct ktest {
	const char *suite;
	const char *name;
	void (*fn)(struct ktest_ctx *t);
	u32 flags;
	u32 pad;
};
_Static_assert(sizeof(struct ktest) == 32, "ktest table entries are 32 bytes");

#define KTEST_F_MANUAL 1u

#define KTEST_DECLARE(suite, name, flags)                                     \
	static void ktest_##suite##_##name(struct ktest_ctx *t);              \
	static const struct ktest ktest_entry_##suite##_##name                \
		__attribute__((section("ktests"), used, aligned(32))) = {     \
			#suite, #name, ktest_##suite##_##name, flags, 0 };    \
	static void ktest_##suite##_##name(struct ktest_ctx *t)

#define KTEST(suite, name) KTEST_DECLARE(suite, name, 0)
#define KTEST_MANUAL(suite, name) KTEST_DECLARE(suite, name, KTEST_F_MANUAL)

/* Report a failed check; implemented by each runner. */
void ktest_fail(struct ktest_ctx *t, const char *file, int line,
		const char *what);
/* A diagnostic line ("# ...") in the test output. */
void ktest_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define KT_EXPECT(t, cond)                                            \
	do {                                                          \
		if (!(cond))                                          \
			ktest_fail((t), __FILE__, __LINE__, #cond);   \
	} while (0)

#define KT_EXPECT_EQ(t, a, b)                                         \
	do {                                                          \
		u64 ka_ = (u64)(a), kb_ = (u64)(b);                   \
		if (ka_ != kb_) {                                     \
			ktest_log("%s = %#llx, %s = %#llx", #a,       \
				  (unsigned long long)ka_, #b,        \
				  (unsigned long long)kb_);           \
			ktest_fail((t), __FILE__, __LINE__,           \
				   #a " == " #b);                     \
		}                                                     \
	} while (0)

/* Stop the current test at the first failed check. */
#define KT_ASSERT(t, cond)                                            \
	do {                                                          \
		if (!(cond)) {                                        \
			ktest_fail((t), __FILE__, __LINE__, #cond);   \
			return;                                       \
		}                                                     \
	} while (0)

#endif
