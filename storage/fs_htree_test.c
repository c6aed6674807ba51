/*
 * Host tests of hashed directories: the hashes against debugfs's dx_hash
 * (every version, signed and unsigned, with and without a seed); a
 * directory grown to thousands of entries becomes hashed, splits leaves
 * and adds an index level, finds every name, and stays clean under
 * e2fsck; a hashed directory made by mke2fs -d and e2fsck -D is read and
 * written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>

#include "storage/ext2.h"
#include "storage/fs_test_util.h"

static struct fstest_vol vol;
static const struct fs_owner root_owner = { 0, 0 };

/* debugfs's hash of name: 0 and *hash, or -1. */
static int debugfs_hash(u32 version, const char *seed, const char *name,
			u32 *hash)
{
	static char out[4096];
	char cmd[512];
	const char *p;

	snprintf(cmd, sizeof(cmd),
		 "PATH=/sbin:/usr/sbin:$PATH debugfs -R 'dx_hash -h %u %s%s %s' "
		 "'%s' 2>/dev/null", version, seed ? "-s " : "", seed ? seed : "",
		 name, fstest_std_image(1024));
	if (fstest_sh(cmd, out, sizeof(out)) || !(p = strstr(out, " is 0x")))
		return -1;
	*hash = (u32)strtoul(p + 4, NULL, 16);
	return 0;
}

/* The seed words of a UUID string, as the superblock stores them. */
static void seed_words(const char *uuid, u32 seed[4])
{
	u8 b[16];
	u32 n = 0;

	for (const char *p = uuid; *p && n < 16; p++) {
		if (*p == '-')
			continue;
		sscanf(p, "%2hhx", &b[n++]);
		p++;
	}
	memcpy(seed, b, sizeof(b));
}

KTEST(fs_htree, hash_matches_debugfs)
{
	static const char *const names[] = {
		"a", "hello", "file-12345", "\xc3\xa9t\xc3\xa9",
		"a-name-long-enough-to-need-more-than-one-block-of-input-xyz",
	};
	const char *uuid = "41ae3c7c-95e4-4388-a2af-8fd2d54f0304";
	u32 zero[4] = { 0 }, seed[4], ours, theirs;
	int checked = 0;

	seed_words(uuid, seed);
	for (u32 v = 0; v <= 5; v++)
		for (u32 i = 0; i < ARRAY_SIZE(names); i++)
			for (int s = 0; s < 2; s++) {
				KT_ASSERT(t, !debugfs_hash(v, s ? uuid : NULL,
							   names[i], &theirs));
				KT_ASSERT(t, !ext2_hash(v, s ? seed : zero, names[i],
							(u32)strlen(names[i]),
							&ours));
				KT_EXPECT_EQ(t, ours, theirs);
				checked++;
			}
	KT_EXPECT_EQ(t, checked, 60);
	KT_EXPECT_EQ(t, ext2_hash(6, zero, "x", 1, &ours), -EINVAL);
}

static int mkfile(struct fs_handle d, const char *name)
{
	struct fs_handle h;
	bool created;

	return fs_create(vol.fs, d, name, (u32)strlen(name), FS_S_IFREG | 0644,
			 0, FS_CREATE_EXCL, &root_owner, &h, &created);
}

static int count_fn(void *arg, const struct fs_dirent *d)
{
	++*(u32 *)arg;
	return 0;
}

static u32 count_entries(struct fs_handle d)
{
	u64 cookie = 0;
	u32 n = 0;

	while (cookie != FS_COOKIE_EOF)
		if (fs_readdir(vol.fs, d, cookie, count_fn, &n, &cookie))
			return 0;
	return n;
}

#define MANY 6000

/* Grow a directory to MANY names (1 KiB blocks: its root fills and the
 * tree gains a level), find each, remove every third, list the rest. */
KTEST(fs_htree, grow_find_remove)
{
	struct ext2_inode ip;
	struct fs_handle d, h;
	char name[64];
	u32 missing = 0;

	KT_ASSERT(t, !fstest_load_rw(&vol, fstest_ext3_image(1024)));
	KT_ASSERT(t, !fstest_mount(&vol));
	KT_ASSERT(t, !fs_mkdir(vol.fs, fs_root(vol.fs), "big", 3, 0755,
			       &root_owner, &d));
	for (u32 i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "entry-with-a-longish-name-%05u", i);
		KT_ASSERT(t, !mkfile(d, name));
	}
	KT_ASSERT(t, !ext2_read_inode(vol.fs, d.ino, &ip));
	KT_EXPECT(t, ip.i_flags & EXT2_INDEX_FL);
	for (u32 i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "/big/entry-with-a-longish-name-%05u", i);
		missing += fs_lookup(vol.fs, name, &h) != 0;
	}
	KT_EXPECT_EQ(t, missing, 0);
	KT_EXPECT_EQ(t, mkfile(d, "entry-with-a-longish-name-00007"), -EEXIST);
	for (u32 i = 0; i < MANY; i += 3) {
		snprintf(name, sizeof(name), "entry-with-a-longish-name-%05u", i);
		KT_ASSERT(t, !fs_unlink(vol.fs, d, name, (u32)strlen(name), 0));
	}
	KT_EXPECT_EQ(t, count_entries(d), MANY - MANY / 3 + 2);
	KT_ASSERT(t, !fs_unmount(vol.fs));
	KT_EXPECT_EQ(t, fstest_fsck_vol(&vol), 0);
	KT_ASSERT(t, !fstest_mount(&vol));
	KT_EXPECT_EQ(t, fs_lookup(vol.fs, "/big/entry-with-a-longish-name-00003",
				  &h), -ENOENT);
	KT_EXPECT_EQ(t, fs_lookup(vol.fs, "/big/entry-with-a-longish-name-05999",
				  &h), 0);
}

/* A tree with one big directory, made by mke2fs -d and indexed by
 * e2fsck -D: every name is found through the index, and adding and
 * removing names keeps it clean. */
KTEST(fs_htree, made_by_e2fsck)
{
	const char *src = fstest_tmp("htree-src");
	const char *img = fstest_tmp("htree.img");
	char cmd[512], out[256], name[64];
	struct ext2_inode ip;
	struct fs_handle d, h;
	u32 missing = 0;

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/d' && cd '%s/d' && "
		 "for i in $(seq 1 3000); do : > name-$i; done && "
		 "PATH=/sbin:/usr/sbin:$PATH; mke2fs -q -F -t ext3 -b 1024 -N 8192 -d '%s' "
		 "'%s' 16M && e2fsck -fyD '%s' >/dev/null 2>&1; e2fsck -fn '%s' "
		 ">/dev/null 2>&1", src, src, src, img, img, img);
	KT_ASSERT(t, fstest_sh(cmd, out, sizeof(out)) == 0);
	KT_ASSERT(t, !fstest_load_rw(&vol, img));
	KT_ASSERT(t, !fstest_mount(&vol));
	KT_ASSERT(t, !fs_lookup(vol.fs, "/d", &d));
	KT_ASSERT(t, !ext2_read_inode(vol.fs, d.ino, &ip));
	KT_ASSERT(t, ip.i_flags & EXT2_INDEX_FL);
	for (u32 i = 1; i <= 3000; i++) {
		snprintf(name, sizeof(name), "/d/name-%u", i);
		missing += fs_lookup(vol.fs, name, &h) != 0;
	}
	KT_EXPECT_EQ(t, missing, 0);
	KT_EXPECT_EQ(t, fs_lookup(vol.fs, "/d/name-3001", &h), -ENOENT);
	for (u32 i = 0; i < 2000; i++) {
		int err;

		snprintf(name, sizeof(name), "added-%u", i);
		err = mkfile(d, name);
		if (err)
			ktest_log("add %s: %d", name, err);
		KT_ASSERT(t, !err);
	}
	KT_ASSERT(t, !fs_unlink(vol.fs, d, "name-17", 7, 0));
	KT_EXPECT_EQ(t, count_entries(d), 3000 + 2000 - 1 + 2);
	KT_ASSERT(t, !fs_unmount(vol.fs));
	KT_EXPECT_EQ(t, fstest_fsck_vol(&vol), 0);
}
