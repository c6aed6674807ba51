/*
 * Hashed directories (htree), as ext3's dir_index feature lays them out.
 * Block 0 is the root: "." and ".." entries, the second spanning the
 * block, then dx_root_info and an array of (hash, block) index entries
 * whose first slot holds the array's limit and count. With one indirect
 * level the root's entries point to index nodes (a fake empty entry
 * spanning the block, then the same kind of array); the last level points
 * to leaf blocks of ordinary entries whose hashes lie in [its hash, next
 * entry's hash). A hash with the low bit set in the index says the
 * previous block holds entries of the same hash too.
 *
 * Adding an entry: into its leaf if there is room; else the leaf is split
 * in two by hash (the index gains an entry), after the index itself gains
 * room if it is full: a full root moves its entries to a new node (one
 * level more); a full node splits in two if the root has room; beyond
 * that the directory is full (-ENOSPC), as ext3 without large_dir.
 *
 * Every index field is checked before use (limits, counts, levels, block
 * numbers); a bad one is -EUCLEAN.
 *
 * Locking: none; changes happen inside an operation (ext2.h).
 */
#include <tessera/errno.h>
#include <tessera/sort.h>
#include <tessera/string.h>

#include "storage/ext2.h"

struct dx_root_info {
	u32 reserved_zero;
	u8 hash_version;
	u8 info_length;
	u8 indirect_levels;
	u8 unused_flags;
};
_Static_assert(sizeof(struct dx_root_info) == 8, "dx_root_info");

struct dx_entry {
	u32 hash; /* in slot 0: limit (low half) and count (high half) */
	u32 block;
};
_Static_assert(sizeof(struct dx_entry) == 8, "dx_entry");

#define DX_ROOT_INFO 24 /* byte offsets in the root block */
#define DX_ROOT_ENTRIES 32
#define DX_NODE_ENTRIES 8

/* One level of the path to a leaf: its pinned block and position. */
struct dx_frame {
	struct bcache_buf *b;
	struct dx_entry *e;
	u32 count, limit, at;
};

struct dx_path {
	struct dx_frame f[2];
	u32 n; /* levels used */
	u32 version; /* effective hash version */
	u32 hash;
};

static u32 dx_limit(struct fs *fs, bool root)
{
	return (fs->block_size - (root ? DX_ROOT_ENTRIES : DX_NODE_ENTRIES)) /
	       sizeof(struct dx_entry);
}

static void dx_set_count(struct dx_frame *f, u32 count)
{
	f->count = count;
	f->e[0].hash = f->limit | count << 16;
}

bool ext2_is_htree(struct fs *fs, const struct ext2_inode *ip)
{
	return fs->dir_index && (ip->i_flags & EXT2_INDEX_FL);
}

static void dx_release(struct fs *fs, struct dx_path *p)
{
	for (u32 i = 0; i < p->n; i++)
		bcache_put(&fs->cache, p->f[i].b);
	p->n = 0;
}

/* The last entry whose hash is <= hash (slot 0 covers from the start). */
static u32 dx_search(const struct dx_frame *f, u32 hash)
{
	u32 lo = 1, hi = f->count;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (f->e[mid].hash > hash)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo - 1;
}

/* Load index block lblk into frame f and find hash in it. */
static int dx_frame_load(struct fs *fs, const struct ext2_inode *ip,
			 u64 lblk, bool root, u32 hash, struct dx_frame *f)
{
	u32 off = root ? DX_ROOT_ENTRIES : DX_NODE_ENTRIES;
	const struct ext2_dirent *fake;
	int err = ext2_dir_block(fs, ip, lblk, &f->b);

	if (err)
		return err;
	fake = (const struct ext2_dirent *)f->b->data;
	f->e = (struct dx_entry *)(f->b->data + off);
	f->limit = f->e[0].hash & 0xffff;
	f->count = f->e[0].hash >> 16;
	if ((!root && (fake->inode || fake->rec_len != fs->block_size)) ||
	    f->limit != dx_limit(fs, root) || !f->count || f->count > f->limit)
		err = -EUCLEAN;
	for (u32 i = 0; !err && i < f->count; i++)
		if (!f->e[i].block || f->e[i].block >= ip->i_size / fs->block_size)
			err = -EUCLEAN;
	f->at = err ? 0 : dx_search(f, hash);
	if (err)
		bcache_put(&fs->cache, f->b);
	return err;
}

static int dx_root_check(struct fs *fs, const struct dx_frame *root,
			 struct dx_path *p)
{
	const struct dx_root_info *info =
		(const struct dx_root_info *)(root->b->data + DX_ROOT_INFO);

	if (info->reserved_zero || info->info_length != 8 ||
	    info->hash_version > EXT2_HASH_TEA || info->indirect_levels > 1)
		return -EUCLEAN;
	p->version = info->hash_version + fs->hash_add;
	return info->indirect_levels;
}

/* The path to the leaf for name. */
static int dx_probe(struct fs *fs, const struct ext2_inode *ip,
		    const char *name, u32 len, struct dx_path *p)
{
	int levels, err;

	p->n = 0;
	err = dx_frame_load(fs, ip, 0, true, 0, &p->f[0]);
	if (err)
		return err;
	p->n = 1;
	levels = dx_root_check(fs, &p->f[0], p);
	err = levels < 0 ? levels : ext2_hash(p->version, fs->hash_seed, name,
					     len, &p->hash);
	if (!err)
		p->f[0].at = dx_search(&p->f[0], p->hash);
	if (!err && levels == 1) {
		err = dx_frame_load(fs, ip, p->f[0].e[p->f[0].at].block, false,
				    p->hash, &p->f[1]);
		if (!err)
			p->n = 2;
	}
	if (err)
		dx_release(fs, p);
	return err;
}

static u32 dx_leaf(const struct dx_path *p)
{
	const struct dx_frame *f = &p->f[p->n - 1];

	return f->e[f->at].block;
}

/* The hash where the entry after f's position starts, or 0 if none. */
static u32 dx_next_hash(const struct dx_path *p, u32 level)
{
	const struct dx_frame *f = &p->f[level];

	if (f->at + 1 < f->count)
		return f->e[f->at + 1].hash;
	return level ? dx_next_hash(p, level - 1) : 0;
}

/* Step to the next leaf if it continues the run of p->hash: 1 if it
 * did, 0 if the run ends here. */
static int dx_next(struct fs *fs, const struct ext2_inode *ip,
		   struct dx_path *p)
{
	u32 next = dx_next_hash(p, p->n - 1);
	struct dx_frame *f = &p->f[p->n - 1];
	int err;

	if (!(next & 1) || (next & ~1u) != p->hash)
		return 0;
	if (f->at + 1 < f->count) {
		f->at++;
		return 1;
	}
	p->f[0].at++;
	bcache_put(&fs->cache, f->b);
	p->n = 1;
	err = dx_frame_load(fs, ip, p->f[0].e[p->f[0].at].block, false, 0, f);
	if (err)
		return err;
	p->n = 2;
	f->at = 0;
	return 1;
}

struct dx_find {
	const char *name;
	u32 len;
	u32 ino;
	struct ext2_dirloc loc;
};

/* Search one leaf block: 1 if found. */
static int leaf_find(struct fs *fs, const struct ext2_inode *ip, u32 lblk,
		     struct dx_find *f)
{
	struct bcache_buf *b;
	struct fs_dirent d;
	u32 pos = 0, prev = ~0u, rec_len;
	int err = ext2_dir_block(fs, ip, lblk, &b);

	while (!err && pos < fs->block_size) {
		err = ext2_dirent_decode(fs, b->data, pos, &d, &rec_len);
		if (!err && d.ino && d.name_len == f->len &&
		    !memcmp(d.name, f->name, f->len)) {
			f->ino = (u32)d.ino;
			f->loc = (struct ext2_dirloc){ lblk, pos, prev };
			err = 1;
		}
		prev = pos;
		pos += rec_len;
	}
	if (err >= 0)
		bcache_put(&fs->cache, b);
	return err;
}

int ext2_htree_find(struct fs *fs, const struct ext2_inode *ip,
		    const char *name, u32 len, u32 *ino,
		    struct ext2_dirloc *loc)
{
	struct dx_find f = { name, len, 0, { 0 } };
	struct dx_path p;
	int r = dx_probe(fs, ip, name, len, &p);

	if (r)
		return r;
	do {
		r = leaf_find(fs, ip, dx_leaf(&p), &f);
	} while (r == 0 && (r = dx_next(fs, ip, &p)) == 1);
	dx_release(fs, &p);
	if (r < 0)
		return r;
	if (!r)
		return -ENOENT;
	*ino = f.ino;
	if (loc)
		*loc = f.loc;
	return 0;
}

/* Insert (hash, block) after f's position. */
static int dx_insert(struct fs *fs, struct dx_frame *f, u32 hash, u32 block)
{
	int err = bcache_dirty(&fs->cache, f->b, false);

	if (err)
		return err;
	memmove(&f->e[f->at + 2], &f->e[f->at + 1],
		(f->count - f->at - 1) * sizeof(struct dx_entry));
	f->e[f->at + 1] = (struct dx_entry){ hash, block };
	dx_set_count(f, f->count + 1);
	return 0;
}

/* A new index node (an empty block at the end of the directory) holding
 * n entries of src, the first one's hash dropped. */
static int dx_new_node(struct fs *fs, u32 dir, struct ext2_inode *ip,
		       const struct dx_entry *src, u32 n, u32 *lblk)
{
	struct dx_frame f = { .limit = dx_limit(fs, false) };
	int err = ext2_dir_grow(fs, dir, ip, &f.b);

	if (err)
		return err;
	*lblk = (u32)(ip->i_size / fs->block_size - 1);
	f.e = (struct dx_entry *)(f.b->data + DX_NODE_ENTRIES);
	memcpy(f.e, src, n * sizeof(*src));
	dx_set_count(&f, n);
	bcache_put(&fs->cache, f.b);
	return 0;
}

/* Room in the last index level of p: a level more under a full root, or
 * a full node split in two. */
static int dx_make_room(struct fs *fs, u32 dir, struct ext2_inode *ip,
			struct dx_path *p)
{
	struct dx_frame *root = &p->f[0], *node = &p->f[1];
	struct dx_root_info *info;
	u32 half, lblk;
	int err = bcache_dirty(&fs->cache, root->b, false);

	if (err)
		return err;
	if (p->n == 1) {
		err = dx_new_node(fs, dir, ip, root->e, root->count, &lblk);
		if (err)
			return err;
		info = (struct dx_root_info *)(root->b->data + DX_ROOT_INFO);
		info->indirect_levels = 1;
		root->e[0].block = lblk;
		dx_set_count(root, 1);
		return ext2_write_inode(fs, dir, ip);
	}
	if (root->count == root->limit)
		return -ENOSPC;
	err = bcache_dirty(&fs->cache, node->b, false);
	half = node->count / 2;
	if (!err)
		err = dx_new_node(fs, dir, ip, &node->e[half], node->count - half,
				  &lblk);
	if (!err)
		err = dx_insert(fs, root, node->e[half].hash, lblk);
	if (!err)
		dx_set_count(node, half);
	return err ? err : ext2_write_inode(fs, dir, ip);
}

/* Sorted (hash << 32 | offset) of the live entries of a leaf, in map. */
static int leaf_map(struct fs *fs, u32 version, const u8 *blk, u64 *map,
		    u32 *n)
{
	struct fs_dirent d;
	u32 pos = 0, rec_len, h;
	int err = 0;

	*n = 0;
	while (!err && pos < fs->block_size) {
		err = ext2_dirent_decode(fs, blk, pos, &d, &rec_len);
		if (!err && d.ino)
			err = ext2_hash(version, fs->hash_seed, d.name,
					d.name_len, &h);
		if (!err && d.ino)
			map[(*n)++] = (u64)h << 32 | pos;
		pos += rec_len;
	}
	sort_u64(map, *n);
	return err;
}

/* Copy the entries map[from..to) of src into the empty block dst. */
static void leaf_fill(struct fs *fs, u8 *dst, const u8 *src, const u64 *map,
		      u32 from, u32 to)
{
	struct ext2_dirent *last = NULL;
	u32 pos = 0;

	memset(dst, 0, fs->block_size);
	for (u32 i = from; i < to; i++) {
		const struct ext2_dirent *s =
			(const struct ext2_dirent *)(src + (u32)map[i]);
		u32 len = EXT2_DIR_REC_LEN(s->name_len |
			(fs->has_filetype ? 0 : (u32)s->file_type << 8));

		memcpy(dst + pos, s, len);
		last = (struct ext2_dirent *)(dst + pos);
		last->rec_len = (u16)len;
		pos += len;
	}
	if (last)
		last->rec_len = (u16)(last->rec_len + fs->block_size - pos);
	else
		((struct ext2_dirent *)dst)->rec_len = (u16)fs->block_size;
}

/* Split the full leaf b of p in two by hash; *split is the first hash of
 * the new leaf, *nb the new leaf (pinned). */
static int leaf_split(struct fs *fs, u32 dir, struct ext2_inode *ip,
		      struct dx_path *p, struct bcache_buf *b,
		      struct bcache_buf **nb, u32 *split)
{
	u64 *map = (u64 *)fs->stage;
	u8 *old = fs->stage + fs->block_size * (FS_STAGE_BLOCKS / 2);
	u32 n, half, cont, lblk;
	int err = leaf_map(fs, p->version, b->data, map, &n);

	if (!err && n < 2)
		err = -EUCLEAN;
	if (!err)
		err = bcache_dirty(&fs->cache, b, false);
	if (!err)
		err = ext2_dir_grow(fs, dir, ip, nb);
	if (err)
		return err;
	lblk = (u32)(ip->i_size / fs->block_size - 1);
	half = n / 2;
	*split = (u32)(map[half] >> 32);
	cont = (u32)(map[half - 1] >> 32) == *split;
	memcpy(old, b->data, fs->block_size);
	leaf_fill(fs, (*nb)->data, old, map, half, n);
	leaf_fill(fs, b->data, old, map, 0, half);
	err = dx_insert(fs, &p->f[p->n - 1], *split | cont, lblk);
	if (err)
		bcache_put(&fs->cache, *nb);
	return err;
}

/* Add to the leaf p leads to, splitting it if full: 1 done, 0 if the
 * index needs room first. */
static int dx_add_leaf(struct fs *fs, u32 dir, struct ext2_inode *ip,
		       struct dx_path *p, const char *name, u32 len, u32 ino,
		       u8 ftype)
{
	struct dx_frame *f = &p->f[p->n - 1];
	struct bcache_buf *b, *nb;
	u32 split;
	int r = ext2_dir_block(fs, ip, dx_leaf(p), &b);

	if (!r)
		r = ext2_dir_insert(fs, b, name, len, ino, ftype);
	if (r || f->count == f->limit)
		goto out;
	r = leaf_split(fs, dir, ip, p, b, &nb, &split);
	if (!r) {
		r = ext2_dir_insert(fs, p->hash >= split ? nb : b, name, len,
				    ino, ftype);
		bcache_put(&fs->cache, nb);
	}
	if (!r)
		r = -ENOSPC;
	if (r > 0 && (r = ext2_write_inode(fs, dir, ip)) == 0)
		r = 1;
out:
	bcache_put(&fs->cache, b);
	return r;
}

int ext2_htree_add(struct fs *fs, u32 dir, struct ext2_inode *ip,
		   const char *name, u32 len, u32 ino, u8 ftype)
{
	struct dx_path p;
	int r = 0;

	for (int tries = 0; tries < 3 && !r; tries++) {
		r = dx_probe(fs, ip, name, len, &p);
		if (r)
			return r;
		r = dx_add_leaf(fs, dir, ip, &p, name, len, ino, ftype);
		if (!r)
			r = dx_make_room(fs, dir, ip, &p);
		dx_release(fs, &p);
		if (r < 0)
			return r;
		r = r == 1;
	}
	return r ? 0 : -ENOSPC;
}

/* The root's "." and ".." as ext2_dir_init lays them out. */
static bool dots_ok(struct fs *fs, const u8 *blk)
{
	const struct ext2_dirent *dot = (const struct ext2_dirent *)blk;
	const struct ext2_dirent *dd = (const struct ext2_dirent *)(blk + 12);

	return dot->rec_len == 12 && dot->name_len == 1 &&
	       !memcmp(dot + 1, ".", 1) && dd->name_len == 2 &&
	       !memcmp(dd + 1, "..", 2) && dd->rec_len <= fs->block_size - 12;
}

/* Block 0 becomes the root, pointing at block 1. */
static void root_init(struct fs *fs, u8 *blk)
{
	struct ext2_dirent *dd = (struct ext2_dirent *)(blk + 12);
	struct dx_root_info *info = (struct dx_root_info *)(blk + DX_ROOT_INFO);
	struct dx_frame f = { .e = (struct dx_entry *)(blk + DX_ROOT_ENTRIES),
			      .limit = dx_limit(fs, true) };

	dd->rec_len = (u16)(fs->block_size - 12);
	memset(blk + DX_ROOT_INFO, 0, fs->block_size - DX_ROOT_INFO);
	*info = (struct dx_root_info){ 0, fs->def_hash, 8, 0, 0 };
	f.e[0].block = 1;
	dx_set_count(&f, 1);
}

/* Positions of the live entries after ".." in block 0, into map. */
static int make_map(struct fs *fs, const u8 *blk, u64 *map, u32 *n)
{
	u32 pos = 12 + ((const struct ext2_dirent *)(blk + 12))->rec_len;
	struct fs_dirent d;
	u32 rec_len;
	int err = 0;

	*n = 0;
	while (!err && pos < fs->block_size) {
		err = ext2_dirent_decode(fs, blk, pos, &d, &rec_len);
		if (!err && d.ino)
			map[(*n)++] = pos;
		pos += rec_len;
	}
	return err;
}

int ext2_htree_make(struct fs *fs, u32 dir, struct ext2_inode *ip)
{
	u64 *map = (u64 *)fs->stage;
	struct bcache_buf *b0, *b1;
	u32 n;
	int err = ext2_dir_block(fs, ip, 0, &b0);

	if (err)
		return err;
	if (!dots_ok(fs, b0->data))
		goto out;
	err = make_map(fs, b0->data, map, &n);
	if (!err)
		err = bcache_dirty(&fs->cache, b0, false);
	if (!err)
		err = ext2_dir_grow(fs, dir, ip, &b1);
	if (err)
		goto out;
	leaf_fill(fs, b1->data, b0->data, map, 0, n);
	bcache_put(&fs->cache, b1);
	root_init(fs, b0->data);
	ip->i_flags |= EXT2_INDEX_FL;
	err = ext2_write_inode(fs, dir, ip);
out:
	bcache_put(&fs->cache, b0);
	return err;
}
