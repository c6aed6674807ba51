/* Initial stack tests: build an image, then read it back the way libc
 * start-up code does (argc, argv, envp, auxv) and check every value, the
 * strings the pointers lead to, the alignment and the size limits. */
#include <stdlib.h>
#include <string.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>
#include <tessera/uapi/auxv.h>

#include "linux-abi/exec_stack.h"

#define TOP 0x7ffffffde000ull

static const u8 rnd[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
static const char *const argv3[] = { "/bin/prog", "-x", "" };
static const char *const envp2[] = { "HOME=/", "PATH=/bin" };
static const struct elf_plan plan = { .entry = 0x401000, .phdr_addr = 0x400040,
				      .phnum = 10, .phent = 56 };

static struct exec_args sample(void)
{
	return (struct exec_args){ .argv = argv3, .argc = 3, .envp = envp2,
				   .envc = 2, .execfn = "/bin/prog",
				   .plan = &plan, .random = rnd, .uid = 1000,
				   .euid = 1001, .gid = 100, .egid = 101,
				   .hwcap = 0x178bfbff, .stack_top = TOP };
}

/* The image, addressed by user address. */
struct view {
	const u8 *buf;
	u64 rsp, top;
};

static u64 word(const struct view *v, u64 addr)
{
	u64 x;

	memcpy(&x, v->buf + (addr - v->rsp), 8);
	return x;
}

static const char *str_at(const struct view *v, u64 addr)
{
	if (addr < v->rsp || addr >= v->top)
		return "<outside>";
	return (const char *)v->buf + (addr - v->rsp);
}

static u64 aux(const struct view *v, u64 auxv, u64 type)
{
	for (u64 a = auxv; word(v, a) != AT_NULL; a += 16)
		if (word(v, a) == type)
			return word(v, a + 8);
	return ~0ull;
}

KTEST(exec_stack, layout_reads_back)
{
	struct exec_args a = sample();
	struct view v;
	u64 size, rsp, p;
	u8 *buf;

	KT_ASSERT(t, exec_stack_size(&a, &size) == 0);
	buf = malloc(size);
	KT_ASSERT(t, exec_stack_build(&a, buf, size, &rsp) == 0);
	v = (struct view){ buf, rsp, TOP };
	KT_EXPECT_EQ(t, rsp % 16, 0);
	KT_EXPECT_EQ(t, TOP - rsp, size);
	KT_EXPECT_EQ(t, word(&v, rsp), 3);
	for (u32 i = 0; i < 3; i++)
		KT_EXPECT(t, !strcmp(str_at(&v, word(&v, rsp + 8 + 8 * i)), argv3[i]));
	KT_EXPECT_EQ(t, word(&v, rsp + 32), 0);
	for (u32 i = 0; i < 2; i++)
		KT_EXPECT(t, !strcmp(str_at(&v, word(&v, rsp + 40 + 8 * i)), envp2[i]));
	KT_EXPECT_EQ(t, word(&v, rsp + 56), 0);
	p = rsp + 64;
	KT_EXPECT_EQ(t, aux(&v, p, AT_PHDR), 0x400040);
	KT_EXPECT_EQ(t, aux(&v, p, AT_PHENT), 56);
	KT_EXPECT_EQ(t, aux(&v, p, AT_PHNUM), 10);
	KT_EXPECT_EQ(t, aux(&v, p, AT_PAGESZ), 4096);
	KT_EXPECT_EQ(t, aux(&v, p, AT_BASE), 0);
	KT_EXPECT_EQ(t, aux(&v, p, AT_FLAGS), 0);
	KT_EXPECT_EQ(t, aux(&v, p, AT_ENTRY), 0x401000);
	KT_EXPECT_EQ(t, aux(&v, p, AT_UID), 1000);
	KT_EXPECT_EQ(t, aux(&v, p, AT_EUID), 1001);
	KT_EXPECT_EQ(t, aux(&v, p, AT_GID), 100);
	KT_EXPECT_EQ(t, aux(&v, p, AT_EGID), 101);
	KT_EXPECT_EQ(t, aux(&v, p, AT_SECURE), 0);
	KT_EXPECT_EQ(t, aux(&v, p, AT_HWCAP), 0x178bfbff);
	KT_EXPECT_EQ(t, aux(&v, p, AT_CLKTCK), 100);
	KT_EXPECT(t, !strcmp(str_at(&v, aux(&v, p, AT_EXECFN)), "/bin/prog"));
	KT_EXPECT(t, !strcmp(str_at(&v, aux(&v, p, AT_PLATFORM)), "x86_64"));
	KT_EXPECT(t, !memcmp(str_at(&v, aux(&v, p, AT_RANDOM)), rnd, 16));
	KT_EXPECT_EQ(t, aux(&v, p, AT_RANDOM) % 16, 0);
	KT_EXPECT_EQ(t, word(&v, TOP - 8), 0);
	KT_EXPECT_EQ(t, word(&v, p + 17 * 16), AT_NULL);
	free(buf);
}

KTEST(exec_stack, empty_argv_and_envp)
{
	struct exec_args a = sample();
	u64 size, rsp;
	u8 buf[1024];

	a.argc = a.envc = 0;
	KT_ASSERT(t, exec_stack_size(&a, &size) == 0);
	KT_ASSERT(t, size <= sizeof(buf));
	KT_ASSERT(t, exec_stack_build(&a, buf, sizeof(buf), &rsp) == 0);
	KT_EXPECT_EQ(t, rsp % 16, 0);
	KT_EXPECT_EQ(t, ((u64 *)buf)[0], 0);
	KT_EXPECT_EQ(t, ((u64 *)buf)[1], 0);
	KT_EXPECT_EQ(t, ((u64 *)buf)[2], 0);
	KT_EXPECT_EQ(t, ((u64 *)buf)[3], AT_PHDR);
	KT_EXPECT_EQ(t, exec_stack_build(&a, buf, size - 1, &rsp), -ENOSPC);
}

KTEST(exec_stack, alignment_for_every_argc)
{
	struct exec_args a = sample();
	static const char *const many[] = { "a", "bb", "ccc", "dddd", "e", "ff", "g" };
	u8 buf[2048];
	u64 rsp;

	for (u32 n = 0; n <= ARRAY_SIZE(many); n++) {
		a.argv = many;
		a.argc = n;
		KT_ASSERT(t, exec_stack_build(&a, buf, sizeof(buf), &rsp) == 0);
		KT_EXPECT_EQ(t, rsp % 16, 0);
		KT_EXPECT_EQ(t, ((u64 *)buf)[0], n);
	}
}

KTEST(exec_stack, limits)
{
	struct exec_args a = sample();
	char *big = malloc(EXEC_ARG_MAX + 1), *path = malloc(EXEC_PATH_MAX + 1);
	const char *env[1] = { big };
	u64 size;

	memset(big, 'x', EXEC_ARG_MAX);
	big[EXEC_ARG_MAX] = 0;
	a.envp = env;
	a.envc = 1;
	KT_EXPECT_EQ(t, exec_stack_size(&a, &size), -E2BIG);
	big[64 * 1024] = 0;
	KT_EXPECT_EQ(t, exec_stack_size(&a, &size), 0);
	memset(path, '/', EXEC_PATH_MAX);
	path[EXEC_PATH_MAX] = 0;
	a.execfn = path;
	KT_EXPECT_EQ(t, exec_stack_size(&a, &size), -ENAMETOOLONG);
	a = sample();
	a.stack_top = TOP + 8;
	KT_EXPECT_EQ(t, exec_stack_size(&a, &size), -EINVAL);
	a.stack_top = 0x800000000000ull;
	KT_EXPECT_EQ(t, exec_stack_size(&a, &size), -EINVAL);
	a.stack_top = 0x20000;
	KT_EXPECT_EQ(t, exec_stack_size(&a, &size), -EINVAL);
	free(big);
	free(path);
}
