/* The ELF loader on any file: it refuses it, or gives a plan that keeps
 * every invariant the loader promises (elf_plan_violation). */
#include <string.h>

#include <tessera/errno.h>

#include "linux-abi/elf_load.h"
#include "linux-abi/elf_test_util.h"
#include "tests/fuzz/fuzz.h"

struct fz_file {
	const u8 *data;
	u64 size;
};

static int fz_read(void *ctx, u64 off, void *buf, u32 len)
{
	const struct fz_file *f = ctx;

	if (off > f->size || len > f->size - off)
		return -EIO;
	memcpy(buf, f->data + off, len);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_file f = { data, size };
	struct elf_source src = { fz_read, &f, size };
	static struct elf_plan plan;
	int err;

	err = elf_load_plan(&src, 0, &plan);
	FUZZ_CHECK(err == 0 || err == -ENOEXEC || err == -EIO);
	if (err == 0)
		FUZZ_CHECK(elf_plan_violation(&plan, size) == NULL);
	return 0;
}
