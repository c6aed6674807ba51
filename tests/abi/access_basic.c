/* access and faccessat: existing files are F_OK, the program is X_OK
 * and R_OK, a directory too; a missing file ENOENT, a path through a
 * file ENOTDIR; bad modes and flags EINVAL; faccessat relative to a
 * directory fd, and AT_EACCESS; an empty path ENOENT. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	char through[600];
	int dir;

	abi_init(argc, argv);
	SHOW(access(self_path(), F_OK));
	SHOW(access(self_path(), X_OK | R_OK));
	SHOW(access("/", R_OK | X_OK));
	SHOW(access("/no/such/file", F_OK));
	snprintf(through, sizeof(through), "%s/x", self_path());
	SHOW(access(through, F_OK));
	SHOW(access(self_path(), 8));
	SHOW(access("", F_OK));
	dir = open(beside(""), O_RDONLY | O_DIRECTORY);
	SHOW(faccessat(dir, "help_garbage", X_OK, 0));
	SHOW(faccessat(dir, "no-such", F_OK, 0));
	SHOW(faccessat(AT_FDCWD, self_path(), R_OK, AT_EACCESS));
	SHOW(faccessat(AT_FDCWD, self_path(), R_OK, 0x8000));
	SHOW(faccessat(99, "relative", F_OK, 0));
	return 0;
}
