/* The pComponent's decoding of a READDIR reply from an sMonitor (a
 * hostile or broken one): refused with -EIO, or entries whose names are
 * terminated, within PFILE_NAME_MAX and free of '/' and NUL. */
#include <string.h>

#include <tessera/errno.h>

#include "processor/backend/file_rpc.h"
#include "tests/fuzz/fuzz.h"

#define FZ_ENTS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pfile_dirent ents[FZ_ENTS];
	int n = pfile_rpc_dirents(data, (u32)size, ents, FZ_ENTS);

	FUZZ_CHECK(n == -EIO || (n >= 0 && n <= FZ_ENTS));
	for (int i = 0; i < n; i++) {
		FUZZ_CHECK(ents[i].name_len <= PFILE_NAME_MAX);
		FUZZ_CHECK(strlen(ents[i].name) == ents[i].name_len);
		FUZZ_CHECK(!strchr(ents[i].name, '/'));
	}
	return 0;
}
