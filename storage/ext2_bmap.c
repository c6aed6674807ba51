/*
 * A file's block map, changed: allocating a logical block (and the
 * indirect blocks on its path) for a write, and freeing everything from a
 * logical block on for a truncate or a delete.
 *
 * Indirect blocks are metadata (they go through the cache and the
 * journal); a new one is zeroed before it is linked. Data blocks are only
 * allocated here, never read or written. i_blocks counts 512-byte units
 * of both. The tree is at most three levels deep and every pointer read
 * is checked, so nothing here recurses or loops without bound.
 *
 * Locking: none; called inside an operation (ext2.h).
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "storage/ext2.h"

/* Where lblk lives: depth 0 (direct) to 3, and the index at each level
 * (idx[0] is in i_block). */
struct bmap_path {
	int depth;
	u32 idx[4];
};

static int bmap_path(struct fs *fs, u64 lblk, struct bmap_path *p)
{
	u32 bits = fs->addr_bits;
	u64 mask = (1ull << bits) - 1;

	if (lblk < EXT2_NDIR_BLOCKS) {
		*p = (struct bmap_path){ 0, { (u32)lblk } };
		return 0;
	}
	lblk -= EXT2_NDIR_BLOCKS;
	for (p->depth = 1; p->depth <= 3; p->depth++) {
		if (lblk < 1ull << (bits * p->depth))
			break;
		lblk -= 1ull << (bits * p->depth);
	}
	if (p->depth > 3)
		return -EFBIG;
	p->idx[0] = EXT2_IND_BLOCK + p->depth - 1;
	for (int l = 1; l <= p->depth; l++)
		p->idx[l] = (u32)((lblk >> (bits * (p->depth - l))) & mask);
	return 0;
}

static void add_blocks(struct fs *fs, struct ext2_inode *ip, int n)
{
	ip->i_blocks += (u32)(n * (int)(fs->block_size / 512));
}

/* A new block near goal; zeroed through the cache if it is metadata. */
static int new_block(struct fs *fs, struct ext2_inode *ip, u32 goal,
		     bool meta, u32 *out)
{
	struct bcache_buf *b;
	int err = ext2_alloc_block(fs, goal, out);

	if (err || !meta)
		goto out;
	err = bcache_get_new(&fs->cache, *out, &b);
	if (err)
		return err;
	err = bcache_dirty(&fs->cache, b, false);
	if (!err)
		memset(b->data, 0, fs->block_size);
	bcache_put(&fs->cache, b);
out:
	if (!err)
		add_blocks(fs, ip, 1);
	return err;
}

/* The goal for lblk: right after the block before it, else the start of
 * the inode's group. */
static u32 block_goal(struct fs *fs, u32 ino, const struct ext2_inode *ip,
		      u64 lblk)
{
	u32 prev = 0;

	if (lblk && !ext2_bmap(fs, ip, lblk - 1, &prev) && prev)
		return prev + 1;
	return ext2_group_first(fs, ext2_ino_group(fs, ino));
}

/* Entry idx of indirect block blk, allocated if it is a hole. */
static int ind_step(struct fs *fs, struct ext2_inode *ip, u32 blk, u32 idx,
		    bool leaf, u32 goal, u32 *next, bool *fresh)
{
	struct bcache_buf *b;
	u32 *slot;
	int err;

	if (!ext2_block_ok(fs, blk))
		return -EUCLEAN;
	err = bcache_get(&fs->cache, blk, &b);
	if (err)
		return err;
	slot = (u32 *)b->data + idx;
	if (*slot) {
		*next = *slot;
		err = ext2_block_ok(fs, *next) ? 0 : -EUCLEAN;
	} else {
		err = new_block(fs, ip, goal, !leaf, next);
		if (!err)
			err = bcache_dirty(&fs->cache, b, false);
		if (!err) {
			*slot = *next;
			*fresh = leaf;
		}
	}
	bcache_put(&fs->cache, b);
	return err;
}

int ext2_bmap_alloc(struct fs *fs, u32 ino, struct ext2_inode *ip, u64 lblk,
		    u32 *pblk, bool *fresh)
{
	struct bmap_path p;
	u32 goal, blk;
	int err = bmap_path(fs, lblk, &p);

	*fresh = false;
	if (err)
		return err;
	goal = block_goal(fs, ino, ip, lblk);
	blk = ip->i_block[p.idx[0]];
	if (!blk) {
		err = new_block(fs, ip, goal, p.depth > 0, &blk);
		if (err)
			return err;
		ip->i_block[p.idx[0]] = blk;
		*fresh = p.depth == 0;
	} else if (!ext2_block_ok(fs, blk)) {
		return -EUCLEAN;
	}
	for (int l = 1; l <= p.depth && !err; l++)
		err = ind_step(fs, ip, blk, p.idx[l], l == p.depth, blk + 1,
			       &blk, fresh);
	*pblk = blk;
	return err;
}

static int free_one(struct fs *fs, struct ext2_inode *ip, u32 blk)
{
	int err = ext2_free_block(fs, blk);

	if (!err)
		add_blocks(fs, ip, -1);
	return err;
}

/* Free the part of the subtree under indirect block blk (depth levels of
 * indirection, its first logical block base) at or after from; *empty
 * says the block was freed too. */
static int free_tree(struct fs *fs, struct ext2_inode *ip, u32 blk,
		     int depth, u64 base, u64 from, bool *empty)
{
	u64 span = 1ull << (fs->addr_bits * (depth - 1));
	u32 n = fs->block_size / 4;
	bool whole = from <= base, sub;
	struct bcache_buf *b;
	int err;

	if (!ext2_block_ok(fs, blk))
		return -EUCLEAN;
	err = bcache_get(&fs->cache, blk, &b);
	if (!err && !whole)
		err = bcache_dirty(&fs->cache, b, false);
	for (u32 i = 0; i < n && !err; i++) {
		u32 *slot = (u32 *)b->data + i;
		u64 at = base + i * span;

		if (!*slot || at + span <= from)
			continue;
		sub = true;
		if (depth > 1)
			err = free_tree(fs, ip, *slot, depth - 1, at, from, &sub);
		else
			err = free_one(fs, ip, *slot);
		if (!err && sub && !whole)
			*slot = 0;
	}
	*empty = whole;
	bcache_put(&fs->cache, b);
	if (!err && whole)
		err = free_one(fs, ip, blk);
	return err;
}

int ext2_free_from(struct fs *fs, struct ext2_inode *ip, u64 from)
{
	u64 base = EXT2_NDIR_BLOCKS;
	int err = 0;

	for (u64 i = from; i < EXT2_NDIR_BLOCKS && !err; i++) {
		if (ip->i_block[i])
			err = free_one(fs, ip, ip->i_block[i]);
		if (!err)
			ip->i_block[i] = 0;
	}
	for (int d = 1; d <= 3 && !err; d++) {
		u32 *top = &ip->i_block[EXT2_IND_BLOCK + d - 1];
		u64 span = 1ull << (fs->addr_bits * d);
		bool empty = false;

		if (*top && from < base + span)
			err = free_tree(fs, ip, *top, d, base, from, &empty);
		if (!err && empty)
			*top = 0;
		base += span;
	}
	return err;
}
