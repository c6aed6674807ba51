/*
 * busybox tar round trip on the writable volume (help_fs_tar.sh): a tree
 * of directories, files (empty, small, 40 KB), a symlink and modes, put
 * in an archive with tar -cf and taken out elsewhere with tar -xf; the
 * members, the extracted tree's modes and link, and diff -r of the two
 * trees; Linux's output is the oracle.
 */
#include "abi.h"

int main(int argc, char **argv)
{
	abi_init(argc, argv);
	return sh_script("help_fs_tar.sh");
}
