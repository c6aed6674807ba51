/* Linux x86-64 struct stat (arch/x86/include/uapi/asm/stat.h), as returned
 * by fstat, newfstatat and friends, and the file mode bits. */
#ifndef TESSERA_UAPI_STAT_H
#define TESSERA_UAPI_STAT_H

#include <tessera/types.h>

struct stat {
	u64 st_dev;
	u64 st_ino;
	u64 st_nlink;
	u32 st_mode;
	u32 st_uid;
	u32 st_gid;
	u32 pad0;
	u64 st_rdev;
	s64 st_size;
	s64 st_blksize;
	s64 st_blocks;
	u64 st_atime_sec;
	u64 st_atime_nsec;
	u64 st_mtime_sec;
	u64 st_mtime_nsec;
	u64 st_ctime_sec;
	u64 st_ctime_nsec;
	s64 unused[3];
};
_Static_assert(sizeof(struct stat) == 144, "stat is 144 bytes");
_Static_assert(offsetof(struct stat, st_mode) == 24, "stat.st_mode");
_Static_assert(offsetof(struct stat, st_rdev) == 40, "stat.st_rdev");
_Static_assert(offsetof(struct stat, st_size) == 48, "stat.st_size");
_Static_assert(offsetof(struct stat, st_blocks) == 64, "stat.st_blocks");
_Static_assert(offsetof(struct stat, st_atime_sec) == 72, "stat.st_atime");
_Static_assert(offsetof(struct stat, st_mtime_sec) == 88, "stat.st_mtime");
_Static_assert(offsetof(struct stat, st_ctime_sec) == 104, "stat.st_ctime");

#define S_IFMT 0170000
#define S_IFSOCK 0140000
#define S_IFLNK 0120000
#define S_IFREG 0100000
#define S_IFBLK 0060000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFIFO 0010000
#define S_ISUID 04000
#define S_ISGID 02000
#define S_ISVTX 01000

/* utimensat(2)'s tv_nsec values that are not times. */
#define UTIME_NOW ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)

#endif
