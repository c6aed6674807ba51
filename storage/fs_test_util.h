/*
 * Host-test helpers for the file system: a directory tree built at test
 * time, images made from it with mke2fs, memory block devices (a shared
 * read-only one that can overlay byte corruptions, and a private writable
 * one that can crash: writes since the last flush are lost in any
 * subset, later writes all lost), and a strict e2fsck -fn verdict. Host
 * only (libc).
 */
#ifndef STORAGE_FS_TEST_UTIL_H
#define STORAGE_FS_TEST_UTIL_H

#include <tessera/fs.h>

#define FSTEST_MEM_BYTES (4 * 1024 * 1024)
#define FSTEST_MAX_PATCHES 16

/* A write not yet flushed: where, and the bytes it replaced. */
struct fstest_pending {
	u64 off, len;
	u8 *old;
};

struct fstest_vol {
	struct fs *fs;
	const char *why; /* why the last mount failed */
	struct fs_blkdev dev;
	u8 *img; /* shared with other read-only volumes of the same image */
	size_t len;
	bool rw; /* img is this volume's own copy, writable */
	u32 npatch;
	u64 patch_off[FSTEST_MAX_PATCHES];
	u8 patch_val[FSTEST_MAX_PATCHES];
	/* Crash simulation (rw): the crash_at-th write and all after it are
	 * lost (0: none is); pending lists the writes since the last flush. */
	u64 writes, flushes, crash_at;
	struct fstest_pending *pending;
	u32 npending, cap;
	u8 *mem; /* the mount's memory */
};

/* The host directory with the test tree (built on first use). */
const char *fstest_tree(void);
/* Image file name built with "mke2fs -q -F <args> -d <tree><sub> <img>
 * <size>" on first use; NULL if mke2fs failed. */
const char *fstest_image(const char *name, const char *args, const char *sub,
			 const char *size);
/* e2fsck -fn of an image file: 0 if it is clean (exit 0 and nothing but
 * its pass and summary lines), else its exit status or -1 (the output
 * goes to the test log). */
int fstest_fsck(const char *img);
/* The same for a volume's memory image. */
int fstest_fsck_vol(struct fstest_vol *v);
/* Load an image read-only (cached per path), or as a private writable
 * copy; point v->dev at it. */
int fstest_load(struct fstest_vol *v, const char *img);
int fstest_load_rw(struct fstest_vol *v, const char *img);
int fstest_mount(struct fstest_vol *v);
/* Lose a subset (seeded) of the writes since the last flush, as a power
 * cut would, and drop the mount. */
void fstest_crash(struct fstest_vol *v, u32 seed);
/* Write the memory image to path. */
int fstest_save(struct fstest_vol *v, const char *path);
/* Run cmd with sh, its output (cut to cap - 1 bytes) into out: its exit
 * status, or -1 if it did not run or exit normally. */
int fstest_sh(const char *cmd, char *out, size_t cap);
/* A path in the test's temporary directory. */
const char *fstest_tmp(const char *name);
/* The images the tests share: ext2 with 1, 2 and 4 KiB blocks, and ext3
 * (writable) with 1 and 4 KiB blocks. */
const char *fstest_std_image(u32 block_size);
const char *fstest_ext3_image(u32 block_size);
/* A clock for mounts: a fixed start that advances a second per call. */
s64 fstest_clock(void *arg);

#endif
