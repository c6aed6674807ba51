/*
 * Host tests of path resolution and handles: Linux's answers for ".",
 * "..", trailing slashes, long names, symlink chains and loops; handles
 * that outlive a remount and stale ones; wrong-type operations.
 */
#include <string.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>

#include "storage/ext2.h"
#include "storage/fs_test_util.h"

static struct fstest_vol vol;

static struct fs *mounted(void)
{
	if (fstest_load(&vol, fstest_std_image(1024)) || fstest_mount(&vol))
		return NULL;
	return vol.fs;
}

static u32 ino_of(struct fs *fs, const char *path, u32 flags)
{
	struct fs_handle h = { 0, 0 };

	if (fs_lookup_at(fs, fs_root(fs), path, flags, &h))
		return 0;
	return h.ino;
}

static int err_of(struct fs *fs, const char *path, u32 flags)
{
	struct fs_handle h;

	return fs_lookup_at(fs, fs_root(fs), path, flags, &h);
}

KTEST(fs_path, dots_and_slashes)
{
	struct fs *fs = mounted();
	u32 file;

	KT_ASSERT(t, fs);
	file = ino_of(fs, "/dir/sub/deep/file.txt", 0);
	KT_ASSERT(t, file);
	KT_EXPECT_EQ(t, ino_of(fs, "/", 0), 2);
	KT_EXPECT_EQ(t, ino_of(fs, "/..", 0), 2);
	KT_EXPECT_EQ(t, ino_of(fs, "//./../", 0), 2);
	KT_EXPECT_EQ(t, ino_of(fs, "/dir/./sub/../sub/deep//file.txt", 0), file);
	KT_EXPECT_EQ(t, ino_of(fs, "/../../dir/sub/deep/file.txt", 0), file);
	KT_EXPECT_EQ(t, ino_of(fs, "dir/sub/deep/file.txt", 0), file);
	KT_EXPECT_EQ(t, ino_of(fs, "/dir/sub/", 0), ino_of(fs, "/dir/sub", 0));
	KT_EXPECT_EQ(t, ino_of(fs, "/dir/hardlink", 0), ino_of(fs, "/small.txt", 0));
	KT_EXPECT_EQ(t, err_of(fs, "", 0), -ENOENT);
	KT_EXPECT_EQ(t, err_of(fs, "/nope", 0), -ENOENT);
	KT_EXPECT_EQ(t, err_of(fs, "/dir/nope/x", 0), -ENOENT);
	KT_EXPECT_EQ(t, err_of(fs, "/small.txt/x", 0), -ENOTDIR);
	KT_EXPECT_EQ(t, err_of(fs, "/small.txt/", 0), -ENOTDIR);
	KT_EXPECT_EQ(t, err_of(fs, "/small.txt/.", 0), -ENOTDIR);
	KT_EXPECT_EQ(t, fs_lookup(fs, "small.txt", &(struct fs_handle){ 0 }),
		     -EINVAL);
}

KTEST(fs_path, name_lengths)
{
	static char path[FS_PATH_MAX + 8];
	struct fs *fs = mounted();

	KT_ASSERT(t, fs);
	memcpy(path, "/dir/", 5);
	memset(path + 5, 'n', FS_NAME_MAX);
	path[5 + FS_NAME_MAX] = 0;
	KT_EXPECT(t, ino_of(fs, path, 0) != 0);
	memcpy(path + 5 + FS_NAME_MAX, "n", 2);
	KT_EXPECT_EQ(t, err_of(fs, path, 0), -ENAMETOOLONG);
	for (int i = 0; i < FS_PATH_MAX; i += 2)
		memcpy(path + i, "./", 2);
	path[FS_PATH_MAX - 1] = 0;
	KT_EXPECT_EQ(t, ino_of(fs, path, 0), 2);
	path[FS_PATH_MAX - 1] = '.';
	path[FS_PATH_MAX] = 0;
	KT_EXPECT_EQ(t, err_of(fs, path, 0), -ENAMETOOLONG);
}

KTEST(fs_path, symlinks)
{
	struct fs *fs = mounted();
	u32 small, file, sub;

	KT_ASSERT(t, fs);
	small = ino_of(fs, "/small.txt", 0);
	file = ino_of(fs, "/dir/sub/deep/file.txt", 0);
	sub = ino_of(fs, "/dir/sub", 0);
	KT_EXPECT_EQ(t, ino_of(fs, "/links/fast", 0), small);
	KT_EXPECT(t, ino_of(fs, "/links/fast", FS_LOOKUP_NOFOLLOW) != small);
	KT_EXPECT_EQ(t, ino_of(fs, "/links/slow", 0), file);
	KT_EXPECT_EQ(t, ino_of(fs, "/links/abs", 0), sub);
	KT_EXPECT_EQ(t, ino_of(fs, "/links/abs/", FS_LOOKUP_NOFOLLOW), sub);
	KT_EXPECT_EQ(t, ino_of(fs, "/links/abs/deep/file.txt", 0), file);
	KT_EXPECT_EQ(t, ino_of(fs, "/links/dirlink/sub/../sub/deep/file.txt", 0),
		     file);
	KT_EXPECT_EQ(t, ino_of(fs, "/links/dirlink/..", 0), 2);
	KT_EXPECT_EQ(t, err_of(fs, "/links/fast/", 0), -ENOTDIR);
	KT_EXPECT_EQ(t, err_of(fs, "/links/dangling", 0), -ENOENT);
	KT_EXPECT(t, ino_of(fs, "/links/dangling", FS_LOOKUP_NOFOLLOW) != 0);
	KT_EXPECT_EQ(t, err_of(fs, "/links/loop1", 0), -ELOOP);
	KT_EXPECT_EQ(t, err_of(fs, "/links/loop1/x", FS_LOOKUP_NOFOLLOW),
		     -ELOOP);
	KT_EXPECT(t, ino_of(fs, "/links/loop1", FS_LOOKUP_NOFOLLOW) != 0);
	/* c01 -> ... -> c40 -> small.txt is 40 links; c00 is one too many. */
	KT_EXPECT_EQ(t, ino_of(fs, "/links/c01", 0), small);
	KT_EXPECT_EQ(t, err_of(fs, "/links/c00", 0), -ELOOP);
}

KTEST(fs_path, handles)
{
	struct fs *fs = mounted();
	struct fs_handle h, dir;
	struct fs_attr a;
	char buf[64];
	u64 cookie;
	u32 n;

	KT_ASSERT(t, fs);
	KT_ASSERT(t, !fs_lookup(fs, "/small.txt", &h));
	KT_ASSERT(t, !fs_lookup(fs, "/dir", &dir));
	KT_ASSERT(t, fstest_mount(&vol) == 0); /* a remount keeps handles */
	KT_EXPECT_EQ(t, fs_getattr(fs, h, &a), 0);
	KT_EXPECT_EQ(t, a.size, 100);
	KT_EXPECT_EQ(t, fs_lookup_at(fs, dir, "sub/deep", 0, &h), 0);
	KT_EXPECT_EQ(t, fs_getattr(fs, (struct fs_handle){ h.ino, h.gen + 1 },
				   &a), -ESTALE);
	KT_EXPECT_EQ(t, fs_getattr(fs, (struct fs_handle){ 0, 0 }, &a), -ESTALE);
	KT_EXPECT_EQ(t, fs_getattr(fs, (struct fs_handle){ 5, 0 }, &a), -ESTALE);
	KT_EXPECT_EQ(t, fs_getattr(fs, (struct fs_handle){ ~0u, 0 }, &a),
		     -ESTALE);
	KT_EXPECT_EQ(t, fs_getattr(fs, (struct fs_handle){ fs->inodes_count, 0 },
				   &a), -ESTALE);
	KT_EXPECT_EQ(t, fs_read(fs, dir, 0, buf, 8, &n), -EISDIR);
	KT_EXPECT_EQ(t, fs_readlink(fs, dir, buf, 8, &n), -EINVAL);
	KT_ASSERT(t, !fs_lookup(fs, "/small.txt", &h));
	KT_EXPECT_EQ(t, fs_readdir(fs, h, 0, NULL, NULL, &cookie), -ENOTDIR);
	KT_ASSERT(t, !fs_lookup_at(fs, fs_root(fs), "/links/fast",
				   FS_LOOKUP_NOFOLLOW, &h));
	KT_EXPECT_EQ(t, fs_read(fs, h, 0, buf, 8, &n), -EINVAL);
	KT_EXPECT_EQ(t, fs_readlink(fs, h, buf, 4, &n), 0);
	KT_EXPECT(t, n == 4 && !memcmp(buf, "../s", 4));
}
