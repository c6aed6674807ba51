/*
 * ext2 inodes: locating an inode in its group's table, reading and
 * writing it, checking a file handle against it, mapping a file's logical
 * blocks through the direct and indirect block pointers, timestamps and
 * symlink targets.
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

/* The cache block holding inode ino (1-based) and its offset in it. */
static int inode_block(struct fs *fs, u32 ino, u64 *blk, u32 *off)
{
	struct ext2_group_desc *gd;
	struct bcache_buf *b;
	u32 index, table;
	u64 byte;
	int err;

	if (ino == 0 || ino > fs->inodes_count)
		return -EUCLEAN;
	err = ext2_gd_get(fs, (ino - 1) / fs->inodes_per_group, &b, &gd);
	if (err)
		return err;
	table = gd->bg_inode_table;
	bcache_put(&fs->cache, b);
	index = (ino - 1) % fs->inodes_per_group;
	byte = (u64)index * fs->inode_size;
	if (!ext2_block_ok(fs, table) ||
	    table + byte / fs->block_size >= fs->blocks_count)
		return -EUCLEAN;
	*blk = table + byte / fs->block_size;
	*off = (u32)(byte % fs->block_size);
	return 0;
}

static u32 inode_bytes(struct fs *fs)
{
	return MIN(fs->inode_size, (u32)sizeof(struct ext2_inode));
}

int ext2_read_inode(struct fs *fs, u32 ino, struct ext2_inode *out)
{
	struct bcache_buf *b;
	u64 blk;
	u32 off;
	int err = inode_block(fs, ino, &blk, &off);

	if (!err)
		err = bcache_get(&fs->cache, blk, &b);
	if (err)
		return err;
	memset(out, 0, sizeof(*out));
	memcpy(out, b->data + off, inode_bytes(fs));
	bcache_put(&fs->cache, b);
	if (fs->inode_size > EXT2_GOOD_OLD_INODE_SIZE &&
	    (out->i_extra_isize > fs->inode_size - EXT2_GOOD_OLD_INODE_SIZE ||
	     out->i_extra_isize % 4))
		return -EUCLEAN;
	return 0;
}

int ext2_write_inode(struct fs *fs, u32 ino, const struct ext2_inode *ip)
{
	struct bcache_buf *b;
	u64 blk;
	u32 off;
	int err = inode_block(fs, ino, &blk, &off);

	if (!err)
		err = bcache_get(&fs->cache, blk, &b);
	if (err)
		return err;
	err = bcache_dirty(&fs->cache, b, false);
	if (!err)
		memcpy(b->data + off, ip, inode_bytes(fs));
	bcache_put(&fs->cache, b);
	return err;
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

void ext2_set_isize(struct ext2_inode *ip, u64 size)
{
	ip->i_size = (u32)size;
	if (ext2_is(ip, FS_S_IFREG))
		ip->i_size_high = (u32)(size >> 32);
}

static bool has_extra(const struct ext2_inode *ip, u32 field_end)
{
	return EXT2_GOOD_OLD_INODE_SIZE + (u32)ip->i_extra_isize >= field_end;
}

/* Times as Linux keeps them in large inodes: 32 bits of seconds plus an
 * extra word of two epoch bits and 30 bits of nanoseconds. */
void ext2_set_time(struct ext2_inode *ip, u32 *sec, u32 *extra, s64 ns)
{
	s64 s = ns >= 0 ? ns / 1000000000 : -((-ns + 999999999) / 1000000000);
	u32 nsec = (u32)(ns - s * 1000000000);

	*sec = (u32)s;
	if (has_extra(ip, (u32)((u8 *)extra - (u8 *)ip) + 4))
		*extra = nsec << 2 | (u32)(((s - (s64)(s32)*sec) >> 32) & 3);
}

s64 ext2_get_time(const struct ext2_inode *ip, u32 sec, u32 extra,
		  u32 *nsec)
{
	s64 s = (s32)sec;

	*nsec = 0;
	if (!extra)
		return s;
	s += (s64)(extra & 3) << 32;
	*nsec = (extra >> 2) % 1000000000;
	return s;
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
