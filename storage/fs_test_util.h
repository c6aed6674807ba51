/*
 * Host-test helpers for the file system: a directory tree built at test
 * time, ext2 images made from it with mke2fs, and a memory block device
 * that can overlay byte corruptions on an image. Host only (libc).
 */
#ifndef STORAGE_FS_TEST_UTIL_H
#define STORAGE_FS_TEST_UTIL_H

#include <tessera/fs.h>

#define FSTEST_CACHE_BYTES (64 * 1024)
#define FSTEST_MAX_PATCHES 16

struct fstest_vol {
	struct fs fs;
	struct fs_blkdev dev;
	u8 *img; /* shared with other volumes loaded from the same image */
	size_t len;
	u32 npatch;
	u64 patch_off[FSTEST_MAX_PATCHES];
	u8 patch_val[FSTEST_MAX_PATCHES];
	u8 cache[FSTEST_CACHE_BYTES];
};

/* The host directory with the test tree (built on first use). */
const char *fstest_tree(void);
/* Image file name built with "mke2fs -q -F <args> -d <tree><sub> <img>
 * <size>" on first use; NULL if mke2fs failed. */
const char *fstest_image(const char *name, const char *args, const char *sub,
			 const char *size);
/* Run e2fsck -fn on an image: its exit status. */
int fstest_fsck(const char *img);
/* Load an image into memory (cached per path) and point v->dev at it. */
int fstest_load(struct fstest_vol *v, const char *img);
int fstest_mount(struct fstest_vol *v);
/* The images the tests share: 1, 2 and 4 KiB blocks. */
const char *fstest_std_image(u32 block_size);

#endif
