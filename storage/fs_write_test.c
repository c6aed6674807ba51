/*
 * Host tests of writing: every call that changes a volume, on ext3 images
 * made by mke2fs, each run ending in a strict e2fsck -fn of the result
 * and a fresh mount that sees the same files; sparse and > 4 GiB files; a
 * full disk (-ENOSPC, still clean); corruption met by a write (-EUCLEAN,
 * nothing changed, the volume read-only); read-only mounts.
 */
#include <stdio.h>
#include <string.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>

#include "storage/ext2.h"
#include "storage/fs_test_util.h"

static struct fstest_vol vol;
static const struct fs_owner root_owner = { 0, 0 };
static u8 buf[256 * 1024], back[256 * 1024];

static void fill(u8 *p, u32 len, u32 seed)
{
	for (u32 i = 0; i < len; i++)
		p[i] = (u8)(i * 31 + seed * 7 + (i >> 9));
}

static int mk(const char *dir, const char *name, struct fs_handle *out)
{
	struct fs_handle d;
	bool created;
	int err = fs_lookup(vol.fs, dir, &d);

	return err ? err : fs_create(vol.fs, d, name, (u32)strlen(name),
				     FS_S_IFREG | 0644, 0, FS_CREATE_EXCL,
				     &root_owner, out, &created);
}

static int write_all(struct fs_handle h, u64 off, const u8 *p, u32 len)
{
	u32 n;
	u64 at;
	int err = fs_write(vol.fs, h, off, p, len, 0, &n, &at);

	return err ? err : n == len ? 0 : -EIO;
}

static bool same(struct fs_handle h, u64 off, const u8 *p, u32 len)
{
	u32 n;

	return !fs_read(vol.fs, h, off, back, len, &n) && n == len &&
	       !memcmp(back, p, len);
}

static int remount(void)
{
	int err = fs_unmount(vol.fs);

	return err ? err : fstest_mount(&vol);
}

/* Files: create, write (aligned and not, sparse), read back, truncate. */
static void files(struct ktest_ctx *t)
{
	struct fs_handle h;
	struct fs_attr a;
	struct fs_setattr sa = { .valid = FS_SET_SIZE, .size = 70000 };

	KT_ASSERT(t, !mk("/", "new.bin", &h));
	fill(buf, sizeof(buf), 1);
	KT_ASSERT(t, !write_all(h, 0, buf, 100000));
	KT_ASSERT(t, !write_all(h, 100000, buf + 100000, 3));
	KT_ASSERT(t, !write_all(h, 1 << 20, buf, 5));
	KT_EXPECT(t, same(h, 0, buf, 100003));
	KT_EXPECT(t, same(h, 1 << 20, buf, 5));
	KT_ASSERT(t, !fs_getattr(vol.fs, h, &a));
	KT_EXPECT_EQ(t, a.size, (1 << 20) + 5);
	KT_EXPECT(t, a.blocks * 512 < 200000);
	memset(buf + 100003, 0, 4096);
	KT_EXPECT(t, same(h, 0, buf, 104099)); /* the hole reads as zeros */
	KT_ASSERT(t, !fs_setattr(vol.fs, h, &sa));
	sa.size = 80000;
	KT_ASSERT(t, !fs_setattr(vol.fs, h, &sa));
	memset(buf + 70000, 0, 10000);
	KT_EXPECT(t, same(h, 0, buf, 80000)); /* the cut tail stays zero */
	fill(buf, sizeof(buf), 1);
}

/* Names: mkdir, symlink, link, rename (replace, exchange), unlink, rmdir. */
static void names(struct ktest_ctx *t)
{
	struct fs_handle d, h, h2, l;
	struct fs_attr a;
	char target[64];
	u32 n;

	KT_ASSERT(t, !fs_mkdir(vol.fs, fs_root(vol.fs), "d", 1, 0755,
			       &root_owner, &d));
	KT_EXPECT_EQ(t, fs_mkdir(vol.fs, fs_root(vol.fs), "d", 1, 0755,
				 &root_owner, &h), -EEXIST);
	KT_ASSERT(t, !mk("/d", "x", &h));
	KT_ASSERT(t, !mk("/d", "y", &h2));
	KT_ASSERT(t, !write_all(h, 0, buf, 5000));
	KT_ASSERT(t, !fs_symlink(vol.fs, d, "s", 1, "x", 1, &root_owner, &l));
	KT_ASSERT(t, !fs_readlink(vol.fs, l, target, sizeof(target), &n));
	KT_EXPECT(t, n == 1 && target[0] == 'x');
	KT_ASSERT(t, !fs_link(vol.fs, h, fs_root(vol.fs), "x-link", 6));
	KT_ASSERT(t, !fs_getattr(vol.fs, h, &a));
	KT_EXPECT_EQ(t, a.nlink, 2);
	KT_ASSERT(t, !fs_rename(vol.fs, d, "x", 1, d, "y", 1, 0));
	KT_EXPECT_EQ(t, fs_getattr(vol.fs, h2, &a), -ESTALE);
	KT_ASSERT(t, !fs_lookup(vol.fs, "/d/y", &h2));
	KT_EXPECT(t, h2.ino == h.ino && same(h2, 0, buf, 5000));
	KT_EXPECT_EQ(t, fs_lookup(vol.fs, "/d/x", &h2), -ENOENT);
	KT_ASSERT(t, !fs_rename(vol.fs, d, "y", 1, fs_root(vol.fs), "small.txt",
				9, FS_RENAME_EXCHANGE));
	KT_ASSERT(t, !fs_lookup(vol.fs, "/small.txt", &h2));
	KT_EXPECT_EQ(t, h2.ino, h.ino);
	KT_EXPECT_EQ(t, fs_unlink(vol.fs, fs_root(vol.fs), "d", 1, 0), -EISDIR);
	KT_EXPECT_EQ(t, fs_unlink(vol.fs, fs_root(vol.fs), "d", 1,
				  FS_UNLINK_DIR), -ENOTEMPTY);
	KT_ASSERT(t, !fs_unlink(vol.fs, d, "y", 1, 0));
	KT_ASSERT(t, !fs_unlink(vol.fs, d, "s", 1, 0));
	KT_ASSERT(t, !fs_unlink(vol.fs, fs_root(vol.fs), "d", 1, FS_UNLINK_DIR));
	KT_EXPECT_EQ(t, fs_getattr(vol.fs, d, &a), -ESTALE);
}

/* Directories move with their "..", never under themselves. */
static void moves(struct ktest_ctx *t)
{
	struct fs_handle a, b, c, h;
	struct fs_attr at;

	KT_ASSERT(t, !fs_mkdir(vol.fs, fs_root(vol.fs), "a", 1, 0755,
			       &root_owner, &a));
	KT_ASSERT(t, !fs_mkdir(vol.fs, a, "b", 1, 0755, &root_owner, &b));
	KT_ASSERT(t, !fs_mkdir(vol.fs, fs_root(vol.fs), "c", 1, 0755,
			       &root_owner, &c));
	KT_EXPECT_EQ(t, fs_rename(vol.fs, fs_root(vol.fs), "a", 1, b, "a2", 2,
				  0), -EINVAL);
	KT_ASSERT(t, !fs_rename(vol.fs, a, "b", 1, c, "b", 1, 0));
	KT_ASSERT(t, !fs_lookup(vol.fs, "/c/b/..", &h));
	KT_EXPECT_EQ(t, h.ino, c.ino);
	KT_ASSERT(t, !fs_getattr(vol.fs, a, &at));
	KT_EXPECT_EQ(t, at.nlink, 2);
	KT_ASSERT(t, !fs_getattr(vol.fs, c, &at));
	KT_EXPECT_EQ(t, at.nlink, 3);
	KT_ASSERT(t, !fs_rename(vol.fs, c, "b", 1, fs_root(vol.fs), "a", 1, 0));
	KT_EXPECT_EQ(t, fs_getattr(vol.fs, a, &at), -ESTALE);
	KT_EXPECT_EQ(t, fs_rename(vol.fs, fs_root(vol.fs), "a", 1,
				  fs_root(vol.fs), "c", 1, FS_RENAME_NOREPLACE),
		     -EEXIST);
}

static void write_suite(struct ktest_ctx *t, u32 bs)
{
	struct fs_statfs before, after;
	struct fs_info info;
	struct fs_handle h;

	KT_ASSERT(t, !fstest_load_rw(&vol, fstest_ext3_image(bs)));
	KT_ASSERT(t, !fstest_mount(&vol));
	fs_info(vol.fs, &info);
	KT_ASSERT(t, info.journal && !info.read_only);
	KT_ASSERT(t, !fs_statfs(vol.fs, &before));
	files(t);
	names(t);
	moves(t);
	KT_ASSERT(t, !fs_statfs(vol.fs, &after));
	KT_EXPECT(t, after.bfree < before.bfree && after.ffree < before.ffree);
	KT_ASSERT(t, !remount());
	KT_EXPECT_EQ(t, fstest_fsck_vol(&vol), 0);
	KT_ASSERT(t, !fs_lookup(vol.fs, "/new.bin", &h));
	KT_EXPECT(t, same(h, 0, buf, 70000));
	KT_ASSERT(t, !fs_lookup(vol.fs, "/small.txt", &h));
	KT_EXPECT(t, same(h, 0, buf, 5000));
	KT_ASSERT(t, !fs_lookup(vol.fs, "/a/..", &h));
	KT_EXPECT_EQ(t, h.ino, EXT2_ROOT_INO);
}

KTEST(fs_write, ops_1k)
{
	write_suite(t, 1024);
}

KTEST(fs_write, ops_4k)
{
	write_suite(t, 4096);
}

/* A file past 4 GiB (large_file), sparse: written at its end, read back,
 * cut below 4 GiB, and deleted. */
KTEST(fs_write, large)
{
	u64 off = 5 * GiB + 123;
	struct fs_handle h;
	struct fs_attr a;
	struct fs_setattr sa = { .valid = FS_SET_SIZE, .size = 3 * GiB };

	KT_ASSERT(t, !fstest_load_rw(&vol, fstest_ext3_image(4096)));
	KT_ASSERT(t, !fstest_mount(&vol));
	KT_ASSERT(t, !mk("/", "big", &h));
	fill(buf, 65536, 9);
	KT_ASSERT(t, !write_all(h, off, buf, 65536));
	KT_ASSERT(t, !fs_getattr(vol.fs, h, &a));
	KT_EXPECT_EQ(t, a.size, off + 65536);
	KT_EXPECT(t, same(h, off, buf, 65536));
	KT_ASSERT(t, !remount());
	KT_EXPECT_EQ(t, fstest_fsck_vol(&vol), 0);
	KT_EXPECT(t, same(h, off, buf, 65536));
	KT_ASSERT(t, !fs_setattr(vol.fs, h, &sa));
	KT_ASSERT(t, !fs_getattr(vol.fs, h, &a));
	KT_EXPECT(t, a.size == 3 * GiB && a.blocks == 0);
	KT_ASSERT(t, !fs_unlink(vol.fs, fs_root(vol.fs), "big", 3, 0));
	KT_ASSERT(t, !fs_unmount(vol.fs));
	KT_EXPECT_EQ(t, fstest_fsck_vol(&vol), 0);
}

/* A full disk: the write that fills it is short, the next gets -ENOSPC,
 * creates fail once inodes run out too, and the volume stays clean;
 * deleting gives the space back. */
KTEST(fs_write, enospc)
{
	const char *img = fstest_image("small3.img", "-t ext3 -b 1024 -N 64",
				       "/dir", "6M");
	struct fs_statfs st;
	struct fs_handle h;
	u64 off = 0;
	u32 n = 0;
	u64 at;
	int err = 0;

	KT_ASSERT(t, img && !fstest_load_rw(&vol, img));
	KT_ASSERT(t, !fstest_mount(&vol));
	KT_ASSERT(t, !mk("/", "fill", &h));
	fill(buf, sizeof(buf), 3);
	while (!err && off < 16 * MiB) {
		err = fs_write(vol.fs, h, off, buf, sizeof(buf), 0, &n, &at);
		off += n;
	}
	KT_EXPECT_EQ(t, err, -ENOSPC);
	KT_ASSERT(t, !fs_statfs(vol.fs, &st));
	KT_EXPECT_EQ(t, st.bfree, 0);
	KT_EXPECT(t, same(h, off - 1000, buf + (off - 1000) % sizeof(buf),
			  1000));
	KT_ASSERT(t, !fs_unmount(vol.fs));
	KT_EXPECT_EQ(t, fstest_fsck_vol(&vol), 0);
	KT_ASSERT(t, !fstest_mount(&vol));
	KT_ASSERT(t, !fs_unlink(vol.fs, fs_root(vol.fs), "fill", 4, 0));
	KT_ASSERT(t, !fs_statfs(vol.fs, &st));
	KT_EXPECT(t, st.bfree > off / 1024 - 100);
	for (int i = 0; i < 100 && !err; i++) {
		char name[16];

		snprintf(name, sizeof(name), "f%d", i);
		err = mk("/", name, &h);
	}
	KT_EXPECT_EQ(t, err, -ENOSPC);
	KT_ASSERT(t, !fs_unmount(vol.fs));
	KT_EXPECT_EQ(t, fstest_fsck_vol(&vol), 0);
}

/* Corruption met in the middle of a change: the call fails with
 * -EUCLEAN and leaves no trace, the volume goes read-only, and the next
 * mount says it has errors and stays read-only. */
KTEST(fs_write, corruption)
{
	struct fs_handle d, h;
	struct ext2_inode ip;
	struct fs_info info;
	u32 pblk;
	u64 free;
	struct fs_statfs st;

	KT_ASSERT(t, !fstest_load_rw(&vol, fstest_ext3_image(1024)));
	KT_ASSERT(t, !fstest_mount(&vol));
	KT_ASSERT(t, !fs_lookup(vol.fs, "/dir/sub", &d));
	KT_ASSERT(t, !ext2_read_inode(vol.fs, d.ino, &ip));
	KT_ASSERT(t, !ext2_bmap(vol.fs, &ip, 0, &pblk));
	KT_ASSERT(t, !fs_statfs(vol.fs, &st));
	free = st.ffree;
	KT_ASSERT(t, !fs_unmount(vol.fs));
	vol.img[(u64)pblk * 1024 + 12 + 4] = 0xff; /* ".." rec_len */
	vol.img[(u64)pblk * 1024 + 12 + 5] = 0x7f;
	KT_ASSERT(t, !fstest_mount(&vol));
	KT_EXPECT_EQ(t, mk("/dir/sub", "new", &h), -EUCLEAN);
	fs_info(vol.fs, &info);
	KT_EXPECT(t, info.read_only && info.ro_reason);
	KT_ASSERT(t, !fs_statfs(vol.fs, &st));
	KT_EXPECT_EQ(t, st.ffree, free);
	KT_EXPECT_EQ(t, mk("/", "other", &h), -EROFS);
	KT_ASSERT(t, !fstest_mount(&vol));
	fs_info(vol.fs, &info);
	KT_EXPECT(t, info.read_only && strstr(info.ro_reason, "errors"));
	ktest_log("after corruption: %s", info.ro_reason);
}

/* ext2 without a journal, and a read-only device, mount read-only. */
KTEST(fs_write, read_only)
{
	struct fs_info info;
	struct fs_handle h;

	KT_ASSERT(t, !fstest_load_rw(&vol, fstest_std_image(1024)));
	KT_ASSERT(t, !fstest_mount(&vol));
	fs_info(vol.fs, &info);
	KT_EXPECT(t, info.read_only && !info.journal);
	KT_EXPECT_EQ(t, mk("/", "x", &h), -EROFS);
	KT_ASSERT(t, !fstest_load(&vol, fstest_ext3_image(1024)));
	KT_ASSERT(t, !fstest_mount(&vol));
	fs_info(vol.fs, &info);
	KT_EXPECT(t, info.read_only && info.journal);
	KT_EXPECT_EQ(t, mk("/", "x", &h), -EROFS);
}
