/* The pComponent's check of a GP2P_EXEC message from GPM (the program's
 * path and argv): it refuses the message, or every argv string it hands
 * back lies inside the message and is terminated there. */
#include <string.h>

#include "processor/launch/launch.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gp2p_exec_msg m;
	static const char *argv[PROC_ARGS_MAX + 1];
	u32 len = size < sizeof(m) ? (u32)size : (u32)sizeof(m);
	const char *lo = (const char *)&m, *hi = lo + len;

	memset(&m, 0, sizeof(m));
	memcpy(&m, data, len);
	if (plaunch_parse(&m, len, argv))
		return 0;
	FUZZ_CHECK(m.argc >= 1 && m.argc <= PROC_ARGS_MAX && argv[m.argc] == NULL);
	for (u32 i = 0; i < m.argc; i++)
		FUZZ_CHECK(argv[i] >= m.strs && argv[i] + strlen(argv[i]) < hi && argv[i] >= lo);
	return 0;
}
