/*
 * Block and inode allocation: the groups' bitmaps and the free counts in
 * the group descriptors and the superblock, kept in step.
 *
 * A block is free for allocation only if it is free both in its bitmap
 * and in the bitmap's committed snapshot (bcache.h), so a block freed by
 * the running transaction is reused only once that transaction is on
 * disk. Inodes need no such care: an inode's whole content is metadata of
 * the same transaction.
 *
 * Placement: a file's blocks go after the block before them (its goal),
 * new files start in their directory's group, new directories go to the
 * group with the most free inodes.
 *
 * Locking: none; called inside an operation (ext2.h).
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "storage/ext2.h"

u32 ext2_group_first(struct fs *fs, u32 g)
{
	return fs->first_data_block + g * fs->blocks_per_group;
}

u32 ext2_ino_group(struct fs *fs, u32 ino)
{
	return (ino - 1) / fs->inodes_per_group;
}

static u32 group_blocks(struct fs *fs, u32 g)
{
	return (u32)MIN((u64)fs->blocks_per_group,
			fs->blocks_count - ext2_group_first(fs, g));
}

/* First bit >= from and < nbits clear in both maps (used may be NULL). */
static s64 find_clear(const u8 *live, const u8 *used, u32 from, u32 nbits)
{
	for (u32 i = from; i < nbits; i++) {
		u8 m = live[i / 8] | (used ? used[i / 8] : 0);

		if (m == 0xff && i % 8 == 0 && i + 8 <= nbits) {
			i += 7;
			continue;
		}
		if (!(m & (1u << (i % 8))))
			return i;
	}
	return -1;
}

static int bitmap_get(struct fs *fs, u32 blk, u32 g, struct bcache_buf **b)
{
	u64 first = ext2_group_first(fs, g);

	if (blk < first || blk >= first + group_blocks(fs, g))
		return -EUCLEAN;
	return bcache_get(&fs->cache, blk, b);
}

static int gd_dirty(struct fs *fs, u32 g, struct bcache_buf **gb,
		    struct ext2_group_desc **gd)
{
	int err = ext2_gd_get(fs, g, gb, gd);

	if (!err)
		err = bcache_dirty(&fs->cache, *gb, false);
	if (err)
		bcache_put(&fs->cache, *gb);
	return err;
}

/* Take a free block of group g at or after bit from: 1 and *out if one
 * was taken, 0 if the group has none, or -errno. */
static int group_take_block(struct fs *fs, u32 g, u32 from, u32 *out)
{
	struct ext2_group_desc *gd;
	struct bcache_buf *gb, *b;
	s64 bit;
	int err = gd_dirty(fs, g, &gb, &gd);

	if (err)
		return err;
	if (!gd->bg_free_blocks_count) {
		bcache_put(&fs->cache, gb);
		return 0;
	}
	err = bitmap_get(fs, gd->bg_block_bitmap, g, &b);
	if (err)
		goto out_gd;
	bit = find_clear(b->data, bcache_committed(&fs->cache, b), from,
			 group_blocks(fs, g));
	if (bit >= 0)
		err = bcache_dirty(&fs->cache, b, true);
	if (bit >= 0 && !err) {
		b->data[bit / 8] |= (u8)(1u << (bit % 8));
		gd->bg_free_blocks_count--;
		fs->sb.s_free_blocks_count--;
		*out = ext2_group_first(fs, g) + (u32)bit;
		err = 1;
	}
	bcache_put(&fs->cache, b);
out_gd:
	bcache_put(&fs->cache, gb);
	return err;
}

int ext2_alloc_block(struct fs *fs, u32 goal, u32 *out)
{
	u32 g, from;

	if (!fs->sb.s_free_blocks_count)
		return -ENOSPC;
	if (!ext2_block_ok(fs, goal))
		goal = fs->first_data_block;
	g = (goal - fs->first_data_block) / fs->blocks_per_group;
	from = (goal - fs->first_data_block) % fs->blocks_per_group;
	for (u32 i = 0; i <= fs->groups; i++) {
		int r = group_take_block(fs, (g + i) % fs->groups, i ? 0 : from,
					 out);

		if (r)
			return r < 0 ? r : 0;
	}
	return -ENOSPC;
}

int ext2_free_block(struct fs *fs, u32 blk)
{
	struct ext2_group_desc *gd;
	struct bcache_buf *gb, *b;
	u32 g, bit;
	int err;

	if (!ext2_block_ok(fs, blk))
		return -EUCLEAN;
	g = (blk - fs->first_data_block) / fs->blocks_per_group;
	bit = (blk - fs->first_data_block) % fs->blocks_per_group;
	err = gd_dirty(fs, g, &gb, &gd);
	if (err)
		return err;
	err = bitmap_get(fs, gd->bg_block_bitmap, g, &b);
	if (!err) {
		err = b->data[bit / 8] & (1u << (bit % 8)) ? 0 : -EUCLEAN;
		if (!err)
			err = bcache_dirty(&fs->cache, b, true);
		if (!err) {
			b->data[bit / 8] &= (u8)~(1u << (bit % 8));
			gd->bg_free_blocks_count++;
			fs->sb.s_free_blocks_count++;
		}
		bcache_put(&fs->cache, b);
	}
	bcache_put(&fs->cache, gb);
	return err;
}

/* Where a new inode goes: the directory's group for a file, the group
 * with the most free inodes (then blocks) for a directory. */
static u32 inode_goal(struct fs *fs, u32 dir_ino, bool is_dir)
{
	u32 best = ext2_ino_group(fs, dir_ino), most = 0, blocks = 0;

	for (u32 g = 0; is_dir && g < fs->groups; g++) {
		struct ext2_group_desc *gd;
		struct bcache_buf *b;

		if (ext2_gd_get(fs, g, &b, &gd))
			break;
		if (gd->bg_free_inodes_count > most ||
		    (gd->bg_free_inodes_count == most &&
		     gd->bg_free_blocks_count > blocks)) {
			most = gd->bg_free_inodes_count;
			blocks = gd->bg_free_blocks_count;
			best = g;
		}
		bcache_put(&fs->cache, b);
	}
	return best < fs->groups ? best : 0;
}

static int group_take_inode(struct fs *fs, u32 g, bool is_dir, u32 *out)
{
	struct ext2_group_desc *gd;
	struct bcache_buf *gb, *b;
	u32 from = g ? 0 : fs->first_ino - 1;
	s64 bit = -1;
	int err = gd_dirty(fs, g, &gb, &gd);

	if (err || !gd->bg_free_inodes_count) {
		if (!err)
			bcache_put(&fs->cache, gb);
		return err;
	}
	err = bitmap_get(fs, gd->bg_inode_bitmap, g, &b);
	if (!err) {
		bit = find_clear(b->data, NULL, from, fs->inodes_per_group);
		if (bit >= 0)
			err = bcache_dirty(&fs->cache, b, false);
		if (bit >= 0 && !err) {
			b->data[bit / 8] |= (u8)(1u << (bit % 8));
			gd->bg_free_inodes_count--;
			gd->bg_used_dirs_count += is_dir;
			fs->sb.s_free_inodes_count--;
			*out = g * fs->inodes_per_group + (u32)bit + 1;
		}
		bcache_put(&fs->cache, b);
	}
	bcache_put(&fs->cache, gb);
	return err ? err : bit >= 0;
}

int ext2_alloc_inode(struct fs *fs, u32 dir_ino, bool is_dir, u32 *out)
{
	u32 g = inode_goal(fs, dir_ino, is_dir);

	if (!fs->sb.s_free_inodes_count)
		return -ENOSPC;
	for (u32 i = 0; i < fs->groups; i++) {
		int r = group_take_inode(fs, (g + i) % fs->groups, is_dir, out);

		if (r)
			return r < 0 ? r : 0;
	}
	return -ENOSPC;
}

int ext2_free_inode(struct fs *fs, u32 ino, bool is_dir)
{
	struct ext2_group_desc *gd;
	struct bcache_buf *gb, *b;
	u32 g, bit;
	int err;

	if (ino < fs->first_ino || ino > fs->inodes_count)
		return -EUCLEAN;
	g = ext2_ino_group(fs, ino);
	bit = (ino - 1) % fs->inodes_per_group;
	err = gd_dirty(fs, g, &gb, &gd);
	if (err)
		return err;
	err = bitmap_get(fs, gd->bg_inode_bitmap, g, &b);
	if (!err) {
		err = b->data[bit / 8] & (1u << (bit % 8)) ? 0 : -EUCLEAN;
		if (!err)
			err = bcache_dirty(&fs->cache, b, false);
		if (!err) {
			b->data[bit / 8] &= (u8)~(1u << (bit % 8));
			gd->bg_free_inodes_count++;
			gd->bg_used_dirs_count -= is_dir && gd->bg_used_dirs_count;
			fs->sb.s_free_inodes_count++;
		}
		bcache_put(&fs->cache, b);
	}
	bcache_put(&fs->cache, gb);
	return err;
}
