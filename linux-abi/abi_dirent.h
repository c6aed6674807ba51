/* Linux's struct linux_dirent64, the record getdents64 returns: d_reclen
 * bytes each, 8-byte aligned, the name NUL-terminated. */
#ifndef LINUX_ABI_ABI_DIRENT_H
#define LINUX_ABI_ABI_DIRENT_H

#include <tessera/types.h>

struct abi_dirent64 {
	u64 d_ino;
	s64 d_off;
	u16 d_reclen;
	u8 d_type;
	char d_name[];
};
_Static_assert(sizeof(struct abi_dirent64) == 24, "linux_dirent64 header with padding");
_Static_assert(offsetof(struct abi_dirent64, d_name) == 19, "linux_dirent64.d_name");

/* The record length of a name of name_len bytes. */
#define ABI_DIRENT64_LEN(name_len) ALIGN_UP(19 + (name_len) + 1, 8)

#endif
