/*
 * A tree of directories on the writable volume, through a shell
 * (help_fs_tree.sh): mkdir -p, rename of a directory into another, rename
 * over an existing file (atomic replace), hard and symbolic links,
 * unlink of a linked file, rmdir of a non-empty directory (refused), the
 * tree listed and removed; Linux's output is the oracle.
 */
#include "abi.h"

int main(int argc, char **argv)
{
	abi_init(argc, argv);
	return sh_script("help_fs_tree.sh");
}
