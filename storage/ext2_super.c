/*
 * Mounting an ext2/ext3 volume: read and check the superblock and the
 * group descriptors, decide whether this code can read the volume and
 * whether it may write it, replay the journal if the volume needs it, and
 * set up the block cache. Every superblock field the rest of the code
 * trusts is bounded here, so later arithmetic on it cannot overflow or
 * divide by zero.
 *
 * Memory: fs_mount carves the struct fs, a scratch block, the staging
 * blocks and the block cache out of the caller's memory, in that order.
 *
 * Locking: none; the caller owns the struct fs exclusively during mount.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "storage/ext2.h"

#define FS_MAX_BLOCK 4096u

static int mount_fail(const char **why, int err, const char *text)
{
	*why = text;
	return err;
}

/* The superblock, wherever the device's sectors put it. */
int ext2_read_super(struct fs *fs, struct ext2_super *sb)
{
	struct fs_blkdev *dev = fs->dev;
	u32 ss = dev->sector_size;
	int err;

	if (dev->sector_count * ss < 2 * EXT2_SUPER_OFFSET)
		return -EINVAL;
	err = dev->read_blocks(dev, EXT2_SUPER_OFFSET / ss,
			       MAX(EXT2_SUPER_OFFSET / ss, 1u), fs->scratch);
	if (!err)
		memcpy(sb, fs->scratch, sizeof(*sb));
	return err;
}

static const char *incompat_name(u32 bits)
{
	if (bits & EXT4_FEATURE_INCOMPAT_EXTENTS)
		return "unsupported feature: extents (ext4)";
	if (bits & EXT4_FEATURE_INCOMPAT_64BIT)
		return "unsupported feature: 64bit (ext4)";
	if (bits & EXT3_FEATURE_INCOMPAT_JOURNAL_DEV)
		return "volume is an external journal";
	if (bits & EXT2_FEATURE_INCOMPAT_META_BG)
		return "unsupported feature: meta_bg";
	if (bits & EXT2_FEATURE_INCOMPAT_COMPRESSION)
		return "unsupported feature: compression";
	return "unknown incompatible features";
}

/* Revision-dependent fields and feature flags. */
static int check_revision(struct fs *fs, const struct ext2_super *sb,
			  const char **why)
{
	u32 unknown;

	fs->rev = sb->s_rev_level;
	if (fs->rev > EXT2_DYNAMIC_REV)
		return mount_fail(why, -EOPNOTSUPP, "unknown revision");
	fs->inode_size = EXT2_GOOD_OLD_INODE_SIZE;
	fs->first_ino = EXT2_GOOD_OLD_FIRST_INO;
	fs->feature_compat = fs->feature_incompat = fs->feature_ro_compat = 0;
	if (fs->rev == EXT2_GOOD_OLD_REV)
		return 0;
	fs->inode_size = sb->s_inode_size;
	fs->first_ino = sb->s_first_ino;
	if (fs->inode_size < EXT2_GOOD_OLD_INODE_SIZE ||
	    fs->inode_size > fs->block_size ||
	    (fs->inode_size & (fs->inode_size - 1)))
		return mount_fail(why, -EINVAL, "bad inode size");
	fs->feature_compat = sb->s_feature_compat;
	fs->feature_incompat = sb->s_feature_incompat;
	fs->feature_ro_compat = sb->s_feature_ro_compat;
	unknown = fs->feature_incompat & ~EXT2_INCOMPAT_SUPPORTED;
	if (unknown)
		return mount_fail(why, -EOPNOTSUPP, incompat_name(unknown));
	return 0;
}

/* Block size, group geometry and counts. */
static int check_geometry(struct fs *fs, const struct ext2_super *sb,
			  const char **why)
{
	const struct fs_blkdev *dev = fs->dev;
	u64 groups;

	if (sb->s_magic != EXT2_SUPER_MAGIC)
		return mount_fail(why, -EINVAL, "not ext2 (bad magic)");
	if (sb->s_log_block_size > 2)
		return mount_fail(why, -EINVAL, "block size not 1, 2 or 4 KiB");
	fs->block_size = 1024u << sb->s_log_block_size;
	fs->addr_bits = 8 + sb->s_log_block_size;
	fs->per_block = fs->block_size / dev->sector_size;
	fs->blocks_count = sb->s_blocks_count;
	fs->first_data_block = sb->s_first_data_block;
	fs->blocks_per_group = sb->s_blocks_per_group;
	fs->inodes_per_group = sb->s_inodes_per_group;
	fs->inodes_count = sb->s_inodes_count;
	if (fs->first_data_block != (fs->block_size == 1024) ||
	    fs->blocks_count <= fs->first_data_block ||
	    !fs->blocks_per_group || fs->blocks_per_group > 8 * fs->block_size ||
	    !fs->inodes_per_group || fs->inodes_per_group > 8 * fs->block_size)
		return mount_fail(why, -EINVAL, "bad group geometry");
	groups = (fs->blocks_count - fs->first_data_block +
		  fs->blocks_per_group - 1) / fs->blocks_per_group;
	if (groups * fs->inodes_per_group != fs->inodes_count)
		return mount_fail(why, -EINVAL, "inode count does not match");
	fs->groups = (u32)groups;
	fs->gdt_blocks = (fs->groups * (u32)sizeof(struct ext2_group_desc) +
			  fs->block_size - 1) / fs->block_size;
	if (fs->blocks_count * fs->block_size >
	    dev->sector_count * dev->sector_size)
		return mount_fail(why, -EINVAL, "device smaller than the volume");
	fs->sb_block = EXT2_SUPER_OFFSET / fs->block_size;
	fs->sb_offset = EXT2_SUPER_OFFSET % fs->block_size;
	return 0;
}

int ext2_gd_get(struct fs *fs, u32 g, struct bcache_buf **b,
		struct ext2_group_desc **gd)
{
	u32 per = fs->block_size / sizeof(struct ext2_group_desc);
	int err;

	if (g >= fs->groups)
		return -EUCLEAN;
	err = bcache_get(&fs->cache, fs->first_data_block + 1 + g / per, b);
	if (!err)
		*gd = (struct ext2_group_desc *)(*b)->data + g % per;
	return err;
}

static bool in_group(struct fs *fs, u32 g, u64 blk, u64 len)
{
	u64 first = ext2_group_first(fs, g);
	u64 end = MIN(first + fs->blocks_per_group, fs->blocks_count);

	return blk >= first && blk + len <= end;
}

/* Each group's bitmaps and inode table lie inside it. */
static int check_groups(struct fs *fs, const char **why)
{
	fs->itable_blocks = (fs->inodes_per_group * fs->inode_size +
			     fs->block_size - 1) / fs->block_size;
	for (u32 g = 0; g < fs->groups; g++) {
		struct ext2_group_desc *gd;
		struct bcache_buf *b;
		bool ok;
		int err = ext2_gd_get(fs, g, &b, &gd);

		if (err)
			return mount_fail(why, err, "cannot read groups");
		ok = in_group(fs, g, gd->bg_block_bitmap, 1) &&
		     in_group(fs, g, gd->bg_inode_bitmap, 1) &&
		     in_group(fs, g, gd->bg_inode_table, fs->itable_blocks);
		bcache_put(&fs->cache, b);
		if (!ok)
			return mount_fail(why, -EUCLEAN, "bad group descriptor");
	}
	return 0;
}

static int load_root(struct fs *fs, const char **why)
{
	struct ext2_inode root;
	int err = ext2_read_inode(fs, EXT2_ROOT_INO, &root);

	if (err)
		return mount_fail(why, err, "cannot read the root inode");
	if (!ext2_is(&root, FS_S_IFDIR) || !root.i_links_count)
		return mount_fail(why, -EUCLEAN, "root is not a directory");
	fs->root = (struct fs_handle){ EXT2_ROOT_INO, root.i_generation };
	return 0;
}

/* Superblock, geometry, features, block cache and groups. */
static int mount_check(struct fs *fs, void *mem, size_t len,
		       const char **why)
{
	int err = ext2_read_super(fs, &fs->sb);

	if (err)
		return mount_fail(why, err, "cannot read the superblock");
	err = check_geometry(fs, &fs->sb, why);
	if (!err)
		err = check_revision(fs, &fs->sb, why);
	if (err)
		return err;
	if (fs->first_ino <= EXT2_ROOT_INO || fs->first_ino > fs->inodes_count)
		return mount_fail(why, -EINVAL, "bad first inode");
	err = bcache_init(&fs->cache, fs->dev, fs->block_size, mem, len);
	if (err)
		return mount_fail(why, err, "cache memory too small");
	return check_groups(fs, why);
}

/* Why the volume must stay read-only, or NULL. */
static const char *ro_reason(struct fs *fs, const struct fs_mount_opts *o)
{
	if (o->read_only)
		return "mounted read-only";
	if (fs->dev->read_only || !fs->dev->write_blocks || !fs->dev->flush)
		return "the device is read-only";
	if (fs->feature_ro_compat & ~EXT2_RO_COMPAT_SUPPORTED)
		return "unknown read-only-compatible features";
	if (!fs->j.present)
		return "no journal (ext2): writes would not survive a crash";
	if (fs->sb.s_state & EXT2_ERROR_FS)
		return "the volume has errors recorded: run e2fsck";
	return NULL;
}

/* The journal: found, and replayed if the volume needs recovery. */
static int mount_journal(struct fs *fs, void *mem, size_t len,
			 const struct fs_mount_opts *o, const char **why)
{
	bool needs = fs->feature_incompat & EXT3_FEATURE_INCOMPAT_RECOVER;
	int err = journal_load(fs);

	if (err)
		return mount_fail(why, err, "the journal is damaged");
	if (!fs->j.present && needs)
		return mount_fail(why, -EUCLEAN, "needs recovery but has no journal");
	if (!fs->j.present || (!needs && !fs->j.recover_on_disk))
		return 0;
	if (o->read_only || fs->dev->read_only || !fs->dev->write_blocks ||
	    !fs->dev->flush)
		return mount_fail(why, -EROFS,
				  "the journal needs recovery but the volume is read-only");
	err = journal_replay(fs);
	if (err)
		return mount_fail(why, err, "journal replay failed");
	bcache_forget_clean(&fs->cache);
	err = mount_check(fs, mem, len, why);
	if (!err)
		err = journal_load(fs);
	if (!err)
		err = journal_idle(fs);
	return err ? mount_fail(why, err, "cannot mark the volume clean") : 0;
}

static void mount_finish(struct fs *fs, const struct fs_mount_opts *o)
{
	const struct ext2_super *sb = &fs->sb;

	fs->has_filetype = fs->feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE;
	fs->dir_index = fs->feature_compat & EXT2_FEATURE_COMPAT_DIR_INDEX;
	fs->def_hash = sb->s_def_hash_version <= EXT2_HASH_TEA ?
			       sb->s_def_hash_version : EXT2_HASH_HALF_MD4;
	fs->hash_add = sb->s_flags & EXT2_FLAGS_UNSIGNED_HASH ?
			       EXT2_HASH_UNSIGNED : 0;
	memcpy(fs->hash_seed, sb->s_hash_seed, sizeof(fs->hash_seed));
	fs->ro_reason = ro_reason(fs, o);
	fs->read_only = fs->ro_reason != NULL;
	fs->next_gen = o->gen_seed ^ (u32)(fs_now(fs) / 1000) ^ sb->s_wtime;
}

/* Lay the struct fs and its blocks out in mem; the rest for the cache. */
static struct fs *mount_carve(void *mem, size_t *len, void **cache)
{
	u8 *base = (u8 *)ALIGN_UP((uintptr_t)mem, (uintptr_t)64);
	u8 *blocks = (u8 *)ALIGN_UP((uintptr_t)(base + sizeof(struct fs)),
				    (uintptr_t)FS_MAX_BLOCK);
	u8 *end = (u8 *)mem + *len;
	struct fs *fs = (struct fs *)base;

	if (blocks + (1 + FS_STAGE_BLOCKS) * FS_MAX_BLOCK >= end)
		return NULL;
	memset(fs, 0, sizeof(*fs));
	fs->scratch = blocks;
	fs->stage = blocks + FS_MAX_BLOCK;
	*cache = fs->stage + FS_STAGE_BLOCKS * FS_MAX_BLOCK;
	*len = (size_t)(end - (u8 *)*cache);
	return fs;
}

int fs_mount(struct fs_blkdev *dev, void *mem, size_t len,
	     const struct fs_mount_opts *opts, struct fs **out,
	     const char **why)
{
	void *cache;
	struct fs *fs = len >= FS_MOUNT_MIN_BYTES ?
				mount_carve(mem, &len, &cache) : NULL;
	int err;

	*why = NULL;
	if (!fs)
		return mount_fail(why, -ENOMEM, "mount memory too small");
	if (dev->sector_size < 512 || dev->sector_size > 1024 ||
	    (dev->sector_size & (dev->sector_size - 1)))
		return mount_fail(why, -EINVAL, "unsupported sector size");
	fs->dev = dev;
	fs->opts = *opts;
	err = mount_check(fs, cache, len, why);
	if (!err)
		err = mount_journal(fs, cache, len, opts, why);
	if (!err)
		err = load_root(fs, why);
	if (err)
		return err;
	mount_finish(fs, opts);
	*out = fs;
	return 0;
}

int fs_unmount(struct fs *fs)
{
	int err = fs_commit(fs);

	if (!err && !fs->read_only)
		err = journal_idle(fs);
	return err;
}

void fs_info(struct fs *fs, struct fs_info *out)
{
	*out = (struct fs_info){ .blocks = fs->blocks_count,
				 .block_size = fs->block_size,
				 .journal = fs->j.present,
				 .read_only = fs->read_only,
				 .ro_reason = fs->ro_reason,
				 .replayed = fs->replayed };
}

struct fs_handle fs_root(struct fs *fs)
{
	return fs->root;
}

/* Write the in-memory superblock into its block and that block in place
 * (the block goes through the cache so the two never disagree). */
int ext2_write_super_now(struct fs *fs)
{
	struct bcache_buf *b;
	int err = bcache_get(&fs->cache, fs->sb_block, &b);

	if (err)
		return err;
	memcpy(b->data + fs->sb_offset, &fs->sb, sizeof(fs->sb));
	err = fs->dev->write_blocks(fs->dev, (u64)fs->sb_block * fs->per_block,
				    fs->per_block, b->data);
	bcache_put(&fs->cache, b);
	return err;
}

/* The superblock joins the running transaction, saying RECOVER until the
 * volume is idle again (journal.c). */
int ext2_super_dirty(struct fs *fs)
{
	struct bcache_buf *b;
	int err = bcache_get(&fs->cache, fs->sb_block, &b);

	if (err)
		return err;
	fs->sb.s_feature_incompat |= EXT3_FEATURE_INCOMPAT_RECOVER;
	fs->sb.s_wtime = (u32)(fs_now(fs) / 1000000000);
	err = bcache_dirty(&fs->cache, b, false);
	if (!err)
		memcpy(b->data + fs->sb_offset, &fs->sb, sizeof(fs->sb));
	bcache_put(&fs->cache, b);
	return err;
}
