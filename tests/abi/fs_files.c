/*
 * Files on the writable volume, through a shell (help_fs_files.sh): 200
 * files created by a busybox sh loop, listed, concatenated by a glob and
 * hashed, then removed; Linux's output is the oracle.
 */
#include "abi.h"

int main(int argc, char **argv)
{
	abi_init(argc, argv);
	return sh_script("help_fs_files.sh");
}
