/* Linux x86-64 struct statfs (include/uapi/asm-generic/statfs.h with
 * 64-bit longs), as statfs(2) and fstatfs(2) fill it. */
#ifndef TESSERA_UAPI_STATFS_H
#define TESSERA_UAPI_STATFS_H

#include <tessera/types.h>

struct statfs {
	s64 f_type;
	s64 f_bsize;
	u64 f_blocks;
	u64 f_bfree;
	u64 f_bavail;
	u64 f_files;
	u64 f_ffree;
	s32 f_fsid[2];
	s64 f_namelen;
	s64 f_frsize;
	s64 f_flags;
	s64 f_spare[4];
};
_Static_assert(sizeof(struct statfs) == 120, "statfs is 120 bytes");
_Static_assert(offsetof(struct statfs, f_fsid) == 56, "statfs.f_fsid");
_Static_assert(offsetof(struct statfs, f_namelen) == 64, "statfs.f_namelen");

#define EXT2_SUPER_MAGIC 0xEF53
#define TMPFS_MAGIC 0x01021994

/* f_flags (ST_*) */
#define ST_RDONLY 1
#define ST_NOSUID 2
#define ST_VALID 0x20

#endif
