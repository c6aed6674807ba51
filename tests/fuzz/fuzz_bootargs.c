/* Boot arguments: any command line the boot loader hands over. Every
 * parsed key must be found again by bootargs_get, the typed getters must
 * answer, and the unknown-key check must count within what was parsed. */
#include <stdlib.h>
#include <string.h>

#include <tessera/bootargs.h>

#include "tests/fuzz/fuzz.h"

BOOTARG_KNOWN(ip, "a key the check knows");

static void fz_unknown(const char *key)
{
	FUZZ_CHECK(key[0] != '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bootargs ba;
	char *line = malloc(size + 1);
	u64 v;
	bool b;

	memcpy(line, data, size);
	line[size] = '\0';
	bootargs_parse(&ba, line);
	FUZZ_CHECK(ba.n >= 0 && ba.n <= BOOTARGS_MAX);
	for (int i = 0; i < ba.n; i++) {
		FUZZ_CHECK(bootargs_get(&ba, ba.a[i].key) != NULL);
		bootargs_u64(&ba, ba.a[i].key, &v);
		bootargs_bool(&ba, ba.a[i].key, &b);
	}
	FUZZ_CHECK(bootargs_check_known(&ba, fz_unknown) <= ba.n);
	free(line);
	return 0;
}
