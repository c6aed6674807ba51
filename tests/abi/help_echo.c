/* Helper: prints its argument count, its arguments after argv[0], the
 * environment variables named ABI*, then exits with status $ABI_EXIT
 * (default 0). Used by the exec tests. */
#include <stdlib.h>
#include <string.h>

#include "abi.h"

extern char **environ;

int main(int argc, char **argv)
{
	const char *code = getenv("ABI_EXIT");

	abi_init(argc, argv);
	say("helper: argc %d", argc);
	for (int i = 1; i < argc; i++)
		say("helper: argv[%d] = \"%s\"", i, argv[i]);
	for (char **e = environ; *e; e++)
		if (!strncmp(*e, "ABI", 3))
			say("helper: env %s", *e);
	return code ? atoi(code) : 0;
}
