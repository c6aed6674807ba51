/*
 * ext2 inodes: locating an inode in its group's table, checking a file
 * handle against it, mapping a file's logical blocks through the direct
 * and indirect block pointers, and symlink targets.
 *
 * Every block number read from disk is checked against the volume before
 * it is followed; the mapping depth is fixed at three levels, so a
 * corrupt inode cannot make it loop.
 *
 * Locking: none; the caller serializes calls on one struct fs.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "storage/ext2.h"

bool ext2_block_ok(struct fs *fs, u32 blk)
{
	return blk >= fs->first_data_block && blk < fs->blocks_count;
}

static int inode_table_block(struct fs *fs, u32 group, u32 *table)
{
	u32 per_block = fs->block_size / sizeof(struct ext2_group_desc);
	struct bcache_buf *b;
	int err;

	err = bcache_get(&fs->cache,
			 fs->first_data_block + 1 + group / per_block, &b);
	if (err)
		return err;
	*table = ((const struct ext2_group_desc *)b->data +
		  group % per_block)->bg_inode_table;
	bcache_put(&fs->cache, b);
	return 0;
}

/* Read inode ino (1-based); -EUCLEAN if it lies outside the volume. */
int ext2_read_inode(struct fs *fs, u32 ino, struct ext2_inode *out)
{
	u32 index, table;
	u64 byte;
	struct bcache_buf *b;
	int err;

	if (ino == 0 || ino > fs->inodes_count)
		return -EUCLEAN;
	index = (ino - 1) % fs->inodes_per_group;
	err = inode_table_block(fs, (ino - 1) / fs->inodes_per_group, &table);
	if (err)
		return err;
	byte = (u64)index * fs->inode_size;
	if (!ext2_block_ok(fs, table) ||
	    table + byte / fs->block_size >= fs->blocks_count)
		return -EUCLEAN;
	err = bcache_get(&fs->cache, table + byte / fs->block_size, &b);
	if (err)
		return err;
	memcpy(out, b->data + byte % fs->block_size, sizeof(*out));
	bcache_put(&fs->cache, b);
	return 0;
}

/* The inode a handle names; -ESTALE unless it is in use with the same
 * generation. */
int ext2_iget(struct fs *fs, struct fs_handle h, struct ext2_inode *out)
{
	int err;

	if (h.ino == 0 || h.ino > fs->inodes_count ||
	    (h.ino < fs->first_ino && h.ino != EXT2_ROOT_INO))
		return -ESTALE;
	err = ext2_read_inode(fs, h.ino, out);
	if (err)
		return err;
	if (!out->i_mode || !out->i_links_count || out->i_dtime ||
	    out->i_generation != h.gen)
		return -ESTALE;
	return 0;
}

u64 ext2_isize(const struct ext2_inode *ip)
{
	u64 size = ip->i_size;

	if (ext2_is(ip, FS_S_IFREG))
		size |= (u64)ip->i_size_high << 32;
	return size;
}

/* Follow one indirect block: entry idx of block blk. */
static int indirect_entry(struct fs *fs, u32 blk, u64 idx, u32 *next)
{
	struct bcache_buf *b;
	int err;

	if (!ext2_block_ok(fs, blk))
		return -EUCLEAN;
	err = bcache_get(&fs->cache, blk, &b);
	if (err)
		return err;
	*next = ((const u32 *)b->data)[idx];
	bcache_put(&fs->cache, b);
	return 0;
}

/* Physical block of logical block lblk; *pblk = 0 for a hole. */
int ext2_bmap(struct fs *fs, const struct ext2_inode *ip, u64 lblk,
	      u32 *pblk)
{
	u32 bits = fs->addr_bits, blk;
	u64 mask = (1ull << bits) - 1;
	int depth, err;

	if (lblk < EXT2_NDIR_BLOCKS) {
		blk = ip->i_block[lblk];
		depth = 0;
	} else {
		lblk -= EXT2_NDIR_BLOCKS;
		for (depth = 1; depth <= 3; depth++) {
			if (lblk < 1ull << (bits * depth))
				break;
			lblk -= 1ull << (bits * depth);
		}
		if (depth > 3)
			return -EFBIG;
		blk = ip->i_block[EXT2_IND_BLOCK + depth - 1];
	}
	while (depth > 0 && blk) {
		depth--;
		err = indirect_entry(fs, blk, (lblk >> (bits * depth)) & mask,
				     &blk);
		if (err)
			return err;
	}
	if (blk && !ext2_block_ok(fs, blk))
		return -EUCLEAN;
	*pblk = blk;
	return 0;
}

/* A fast symlink keeps its target in i_block; a slow one in a block. */
static bool fast_symlink(struct fs *fs, const struct ext2_inode *ip)
{
	u32 ea_blocks = ip->i_file_acl ? fs->block_size >> 9 : 0;

	return ip->i_blocks == ea_blocks;
}

int ext2_readlink(struct fs *fs, const struct ext2_inode *ip, char *buf,
		  u32 size, u32 *len)
{
	u32 n = ip->i_size, blk;
	struct bcache_buf *b;
	int err;

	if (!ext2_is(ip, FS_S_IFLNK))
		return -EINVAL;
	if (fast_symlink(fs, ip)) {
		if (n >= EXT2_FAST_SYMLINK_MAX)
			return -EUCLEAN;
		*len = MIN(n, size);
		memcpy(buf, ip->i_block, *len);
		return 0;
	}
	if (n >= fs->block_size)
		return -EUCLEAN;
	err = ext2_bmap(fs, ip, 0, &blk);
	if (!err && !blk)
		err = -EUCLEAN;
	if (!err)
		err = bcache_get(&fs->cache, blk, &b);
	if (err)
		return err;
	*len = MIN(n, size);
	memcpy(buf, b->data, *len);
	bcache_put(&fs->cache, b);
	return 0;
}
