/*
 * Mounting an ext2 volume: read and check the superblock and the group
 * descriptors, decide whether this code can read the volume, and set up
 * the block cache. Every superblock field the rest of the code trusts is
 * bounded here, so later arithmetic on it cannot overflow or divide by
 * zero.
 *
 * Locking: none; the caller owns the struct fs exclusively during mount.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "storage/ext2.h"

static int mount_fail(struct fs *fs, int err, const char *why)
{
	fs->error = why;
	return err;
}

/* The superblock is block 1 of a 1 KiB-block view of the device. */
static int read_super(struct fs *fs, struct fs_blkdev *dev, void *mem,
		      size_t len, struct ext2_super *sb)
{
	struct bcache_buf *b;
	int err;

	if (dev->sector_size < 512 || dev->sector_size > 1024 ||
	    (dev->sector_size & (dev->sector_size - 1)))
		return mount_fail(fs, -EINVAL, "unsupported sector size");
	err = bcache_init(&fs->cache, dev, 1024, mem, len);
	if (err)
		return mount_fail(fs, err, "cache memory too small");
	err = bcache_get(&fs->cache, 1, &b);
	if (err)
		return mount_fail(fs, err, "cannot read the superblock");
	memcpy(sb, b->data, sizeof(*sb));
	bcache_put(&fs->cache, b);
	return 0;
}

static const char *incompat_name(u32 bits)
{
	if (bits & EXT4_FEATURE_INCOMPAT_EXTENTS)
		return "unsupported feature: extents (ext4)";
	if (bits & EXT4_FEATURE_INCOMPAT_64BIT)
		return "unsupported feature: 64bit (ext4)";
	if (bits & EXT3_FEATURE_INCOMPAT_RECOVER)
		return "journal needs recovery (ext3)";
	if (bits & EXT3_FEATURE_INCOMPAT_JOURNAL_DEV)
		return "volume is an external journal";
	if (bits & EXT2_FEATURE_INCOMPAT_META_BG)
		return "unsupported feature: meta_bg";
	if (bits & EXT2_FEATURE_INCOMPAT_COMPRESSION)
		return "unsupported feature: compression";
	return "unknown incompatible features";
}

/* Revision-dependent fields and feature flags. */
static int check_revision(struct fs *fs, const struct ext2_super *sb)
{
	u32 unknown;

	fs->rev = sb->s_rev_level;
	if (fs->rev > EXT2_DYNAMIC_REV)
		return mount_fail(fs, -EOPNOTSUPP, "unknown revision");
	fs->inode_size = EXT2_GOOD_OLD_INODE_SIZE;
	fs->first_ino = EXT2_GOOD_OLD_FIRST_INO;
	if (fs->rev == EXT2_GOOD_OLD_REV)
		return 0;
	fs->inode_size = sb->s_inode_size;
	fs->first_ino = sb->s_first_ino;
	if (fs->inode_size < EXT2_GOOD_OLD_INODE_SIZE ||
	    fs->inode_size > fs->block_size ||
	    (fs->inode_size & (fs->inode_size - 1)))
		return mount_fail(fs, -EINVAL, "bad inode size");
	fs->feature_compat = sb->s_feature_compat;
	fs->feature_incompat = sb->s_feature_incompat;
	fs->feature_ro_compat = sb->s_feature_ro_compat;
	unknown = fs->feature_incompat & ~EXT2_INCOMPAT_SUPPORTED;
	if (unknown)
		return mount_fail(fs, -EOPNOTSUPP, incompat_name(unknown));
	fs->has_filetype =
		fs->feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE;
	return 0;
}

/* Block size, group geometry and counts. */
static int check_geometry(struct fs *fs, const struct ext2_super *sb,
			  const struct fs_blkdev *dev)
{
	u64 groups;

	if (sb->s_magic != EXT2_SUPER_MAGIC)
		return mount_fail(fs, -EINVAL, "not ext2 (bad magic)");
	if (sb->s_log_block_size > 2)
		return mount_fail(fs, -EINVAL, "block size not 1, 2 or 4 KiB");
	fs->block_size = 1024u << sb->s_log_block_size;
	fs->addr_bits = 8 + sb->s_log_block_size;
	fs->blocks_count = sb->s_blocks_count;
	fs->first_data_block = sb->s_first_data_block;
	fs->blocks_per_group = sb->s_blocks_per_group;
	fs->inodes_per_group = sb->s_inodes_per_group;
	fs->inodes_count = sb->s_inodes_count;
	if (fs->first_data_block != (fs->block_size == 1024) ||
	    fs->blocks_count <= fs->first_data_block ||
	    !fs->blocks_per_group || fs->blocks_per_group > 8 * fs->block_size ||
	    !fs->inodes_per_group || fs->inodes_per_group > 8 * fs->block_size)
		return mount_fail(fs, -EINVAL, "bad group geometry");
	groups = (fs->blocks_count - fs->first_data_block +
		  fs->blocks_per_group - 1) / fs->blocks_per_group;
	if (groups * fs->inodes_per_group != fs->inodes_count)
		return mount_fail(fs, -EINVAL, "inode count does not match");
	fs->groups = (u32)groups;
	if (fs->blocks_count * fs->block_size >
	    dev->sector_count * dev->sector_size)
		return mount_fail(fs, -EINVAL, "device smaller than the volume");
	return 0;
}

/* Each group's inode table lies inside the volume. */
static int check_groups(struct fs *fs)
{
	u32 per_block = fs->block_size / sizeof(struct ext2_group_desc);
	u64 table_blocks = ((u64)fs->inodes_per_group * fs->inode_size +
			    fs->block_size - 1) / fs->block_size;
	struct bcache_buf *b = NULL;
	int err;

	for (u32 g = 0; g < fs->groups; g++) {
		const struct ext2_group_desc *gd;

		if (g % per_block == 0) {
			if (b)
				bcache_put(&fs->cache, b);
			err = bcache_get(&fs->cache, fs->first_data_block + 1 +
					 g / per_block, &b);
			if (err)
				return mount_fail(fs, err, "cannot read groups");
		}
		gd = (const struct ext2_group_desc *)b->data + g % per_block;
		if (gd->bg_inode_table <= fs->first_data_block ||
		    gd->bg_inode_table + table_blocks > fs->blocks_count) {
			bcache_put(&fs->cache, b);
			return mount_fail(fs, -EUCLEAN, "bad group descriptor");
		}
	}
	bcache_put(&fs->cache, b);
	return 0;
}

static int load_root(struct fs *fs)
{
	struct ext2_inode root;
	int err = ext2_read_inode(fs, EXT2_ROOT_INO, &root);

	if (err)
		return mount_fail(fs, err, "cannot read the root inode");
	if (!ext2_is(&root, FS_S_IFDIR))
		return mount_fail(fs, -EUCLEAN, "root is not a directory");
	fs->root = (struct fs_handle){ EXT2_ROOT_INO, root.i_generation };
	return 0;
}

int ext2_mount(struct fs *fs, struct fs_blkdev *dev, void *cache_mem,
	       size_t cache_len)
{
	struct ext2_super sb;
	int err;

	memset(fs, 0, offsetof(struct fs, path));
	fs->read_only = true;
	err = read_super(fs, dev, cache_mem, cache_len, &sb);
	if (!err)
		err = check_geometry(fs, &sb, dev);
	if (!err)
		err = check_revision(fs, &sb);
	if (err)
		return err;
	if (fs->first_ino <= EXT2_ROOT_INO || fs->first_ino > fs->inodes_count)
		return mount_fail(fs, -EINVAL, "bad first inode");
	err = bcache_init(&fs->cache, dev, fs->block_size, cache_mem,
			  cache_len);
	if (err)
		return mount_fail(fs, err, "cache memory too small");
	err = check_groups(fs);
	if (!err)
		err = load_root(fs);
	return err;
}

struct fs_handle fs_root(struct fs *fs)
{
	return fs->root;
}
