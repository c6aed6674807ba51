/* The initial user stack from hostile argv and envp: the input is split
 * at NUL bytes into strings (its first byte says how many are argv), with
 * a stack top and an execfn taken from it too. The size and the build
 * must agree, the image must fit what was asked, and nothing may be
 * written outside the buffer (ASan). */
#include <stdlib.h>
#include <string.h>

#include <tessera/errno.h>

#include "linux-abi/elf_load.h"
#include "linux-abi/exec_stack.h"
#include "tests/fuzz/fuzz.h"

#define FZ_MAX_STRINGS 512
#define FZ_STACK_CAP (256 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *strs[FZ_MAX_STRINGS];
	static struct elf_plan plan = { .entry = 0x401000, .phdr_addr = 0x400040,
					.phnum = 4, .phent = 56 };
	static const u8 random[16];
	struct fuzz_in in = { data, size };
	u32 nargv = fuzz_u8(&in), top_sel = fuzz_u8(&in), n = 0;
	char *text = malloc(in.left + 1);
	struct exec_args a = { 0 };
	static u8 buf[FZ_STACK_CAP];
	u64 want, rsp;
	int err;

	memcpy(text, in.p, in.left);
	text[in.left] = '\0';
	for (char *s = text; n < FZ_MAX_STRINGS && s <= text + in.left; s += strlen(s) + 1)
		strs[n++] = s;
	a.argc = nargv < n ? nargv : n;
	a.argv = strs;
	a.envp = strs + a.argc;
	a.envc = n - a.argc;
	a.execfn = strs[0];
	a.plan = &plan;
	a.random = random;
	a.stack_top = top_sel & 1 ? 0x7ffffffff000ull - (top_sel & 0xF0) : 0x7ffffffde000ull;
	err = exec_stack_size(&a, &want);
	FUZZ_CHECK(err == 0 || err == -E2BIG || err == -ENAMETOOLONG || err == -EINVAL);
	if (err == 0 && want <= FZ_STACK_CAP) {
		FUZZ_CHECK(exec_stack_build(&a, buf + FZ_STACK_CAP - want, want, &rsp) == 0);
		FUZZ_CHECK(rsp == a.stack_top - want && rsp % 16 == 0);
		FUZZ_CHECK(exec_stack_build(&a, buf, want - 1, &rsp) == -ENOSPC);
	}
	free(text);
	return 0;
}
