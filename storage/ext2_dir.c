/*
 * ext2 directories: blocks of linked entries (inode, rec_len, name_len,
 * file_type, name). Every entry is checked against its block before use,
 * as Linux's ext2_check_page does: a record is at least 12 bytes, a
 * multiple of 4, holds its name and ends inside its block; so a walk
 * always advances and always ends.
 *
 * Hashed directories (htree, ext2_htree.c) keep their entries in the
 * same kind of blocks, with index blocks that read as empty ones, so
 * listing walks every directory block by block; only lookup and adding
 * an entry differ. A one-block directory that grows on a volume with
 * dir_index becomes hashed, as Linux does.
 *
 * A directory position (readdir cookie) is the byte offset of an entry;
 * resuming at any offset starts at the first entry at or after it.
 *
 * Locking: none; the caller serializes calls on one struct fs; changes
 * happen inside an operation (ext2.h).
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "storage/ext2.h"

static const u8 ext2_to_dtype[8] = {
	FS_DT_UNKNOWN, FS_DT_REG, FS_DT_DIR, FS_DT_CHR,
	FS_DT_BLK, FS_DT_FIFO, FS_DT_SOCK, FS_DT_LNK,
};

u8 ext2_ftype(u32 mode)
{
	switch (mode & FS_S_IFMT) {
	case FS_S_IFREG: return EXT2_FT_REG;
	case FS_S_IFDIR: return EXT2_FT_DIR;
	case FS_S_IFCHR: return EXT2_FT_CHR;
	case FS_S_IFBLK: return EXT2_FT_BLK;
	case FS_S_IFIFO: return EXT2_FT_FIFO;
	case FS_S_IFSOCK: return EXT2_FT_SOCK;
	case FS_S_IFLNK: return EXT2_FT_LNK;
	default: return EXT2_FT_UNKNOWN;
	}
}

int ext2_dirent_decode(struct fs *fs, const u8 *blk, u32 pos,
		       struct fs_dirent *d, u32 *rec_len)
{
	const struct ext2_dirent *de;
	u32 name_len;

	if (fs->block_size - pos < EXT2_DIR_REC_LEN(1))
		return -EUCLEAN;
	de = (const struct ext2_dirent *)(blk + pos);
	name_len = de->name_len;
	if (!fs->has_filetype)
		name_len |= (u32)de->file_type << 8;
	*rec_len = de->rec_len;
	if (*rec_len < EXT2_DIR_REC_LEN(1) || *rec_len % 4 ||
	    *rec_len > fs->block_size - pos ||
	    *rec_len < EXT2_DIR_REC_LEN(name_len) ||
	    de->inode > fs->inodes_count)
		return -EUCLEAN;
	d->ino = de->inode;
	d->name = (const char *)(de + 1);
	d->name_len = name_len;
	d->type = fs->has_filetype && de->file_type < 8 ?
			  ext2_to_dtype[de->file_type] : FS_DT_UNKNOWN;
	return 0;
}

/* Walk the entries of one block at directory offset base. */
static int dir_scan_block(struct fs *fs, const u8 *blk, u64 lblk, u64 start,
			  ext2_dir_fn fn, void *arg)
{
	u64 base = lblk * fs->block_size;
	struct fs_dirent d;
	u32 pos = 0, prev = ~0u, rec_len;
	int ret;

	while (pos < fs->block_size) {
		ret = ext2_dirent_decode(fs, blk, pos, &d, &rec_len);
		if (ret)
			return ret;
		d.cookie = base + pos;
		d.next_cookie = d.cookie + rec_len;
		if (d.cookie >= start && d.ino && d.name_len) {
			ret = fn(arg, &d, lblk, pos, prev);
			if (ret)
				return ret;
		}
		prev = pos;
		pos += rec_len;
	}
	return 0;
}

int ext2_dir_block(struct fs *fs, const struct ext2_inode *ip, u64 lblk,
		     struct bcache_buf **b)
{
	u32 pblk;
	int err = ext2_bmap(fs, ip, lblk, &pblk);

	if (!err && !pblk)
		err = -EUCLEAN;
	return err ? err : bcache_get(&fs->cache, pblk, b);
}

static int dir_shape_ok(struct fs *fs, const struct ext2_inode *ip)
{
	u64 size = ip->i_size, bs = fs->block_size;

	return size % bs || size > (u64)ip->i_blocks * 512 ? -EUCLEAN : 0;
}

int ext2_dir_iterate(struct fs *fs, const struct ext2_inode *ip, u64 start,
		     ext2_dir_fn fn, void *arg)
{
	u64 bs = fs->block_size;
	struct bcache_buf *b;
	int ret = dir_shape_ok(fs, ip);

	for (u64 lblk = start / bs; !ret && lblk < ip->i_size / bs; lblk++) {
		ret = ext2_dir_block(fs, ip, lblk, &b);
		if (ret)
			return ret;
		ret = dir_scan_block(fs, b->data, lblk, start, fn, arg);
		bcache_put(&fs->cache, b);
	}
	return ret;
}

struct dir_find {
	const char *name;
	u32 len;
	u32 ino;
	struct ext2_dirloc loc;
};

static int find_fn(void *arg, const struct fs_dirent *d, u64 lblk, u32 off,
		   u32 prev)
{
	struct dir_find *f = arg;

	if (d->name_len != f->len || memcmp(d->name, f->name, f->len))
		return 0;
	f->ino = (u32)d->ino;
	f->loc = (struct ext2_dirloc){ lblk, off, prev };
	return 1;
}

int ext2_dir_find(struct fs *fs, const struct ext2_inode *ip,
		  const char *name, u32 len, u32 *ino,
		  struct ext2_dirloc *loc)
{
	struct dir_find f = { name, len, 0, { 0 } };
	int ret;

	if (ext2_is_htree(fs, ip))
		return ext2_htree_find(fs, ip, name, len, ino, loc);
	ret = ext2_dir_iterate(fs, ip, 0, find_fn, &f);
	if (ret < 0)
		return ret;
	if (!ret)
		return -ENOENT;
	*ino = f.ino;
	if (loc)
		*loc = f.loc;
	return 0;
}

int ext2_dir_insert(struct fs *fs, struct bcache_buf *b, const char *name,
			u32 len, u32 ino, u8 ftype)
{
	u32 need = EXT2_DIR_REC_LEN(len), pos = 0, rec_len, used = 0;
	struct ext2_dirent *de;
	struct fs_dirent d;
	int err;

	for (; pos < fs->block_size; pos += rec_len) {
		err = ext2_dirent_decode(fs, b->data, pos, &d, &rec_len);
		if (err)
			return err;
		used = d.ino ? EXT2_DIR_REC_LEN(d.name_len) : 0;
		if (rec_len - used >= need)
			break;
	}
	if (pos >= fs->block_size)
		return 0;
	err = bcache_dirty(&fs->cache, b, false);
	if (err)
		return err;
	de = (struct ext2_dirent *)(b->data + pos);
	if (used) {
		de->rec_len = (u16)used;
		de = (struct ext2_dirent *)(b->data + pos + used);
	}
	de->rec_len = (u16)(rec_len - used);
	de->inode = ino;
	de->name_len = (u8)len;
	de->file_type = fs->has_filetype ? ftype : 0;
	memcpy(de + 1, name, len);
	return 1;
}

/* Try each block of a linear directory: 1 if the entry went in. */
static int linear_insert(struct fs *fs, const struct ext2_inode *ip,
			 const char *name, u32 len, u32 ino, u8 ftype)
{
	struct bcache_buf *b;
	int ret = dir_shape_ok(fs, ip);

	for (u64 lblk = 0; !ret && lblk < ip->i_size / fs->block_size; lblk++) {
		ret = ext2_dir_block(fs, ip, lblk, &b);
		if (ret)
			return ret;
		ret = ext2_dir_insert(fs, b, name, len, ino, ftype);
		bcache_put(&fs->cache, b);
	}
	return ret;
}

int ext2_dir_grow(struct fs *fs, u32 dir, struct ext2_inode *ip,
		    struct bcache_buf **out)
{
	u64 lblk = ip->i_size / fs->block_size;
	struct ext2_dirent *de;
	bool fresh;
	u32 pblk;
	int err = ext2_bmap_alloc(fs, dir, ip, lblk, &pblk, &fresh);

	if (!err && !fresh)
		err = -EUCLEAN;
	if (!err)
		err = bcache_get_new(&fs->cache, pblk, out);
	if (err)
		return err;
	err = bcache_dirty(&fs->cache, *out, false);
	if (err) {
		bcache_put(&fs->cache, *out);
		return err;
	}
	memset((*out)->data, 0, fs->block_size);
	de = (struct ext2_dirent *)(*out)->data;
	de->rec_len = (u16)fs->block_size;
	ip->i_size += fs->block_size;
	return 0;
}

int ext2_dir_add(struct fs *fs, u32 dir, struct ext2_inode *ip,
		 const char *name, u32 len, u32 ino, u32 mode)
{
	u8 ftype = ext2_ftype(mode);
	struct bcache_buf *b;
	int ret;

	if (!ext2_is_htree(fs, ip)) {
		ret = linear_insert(fs, ip, name, len, ino, ftype);
		if (ret)
			return ret < 0 ? ret : 0;
		if (fs->dir_index && ip->i_size == fs->block_size) {
			ret = ext2_htree_make(fs, dir, ip);
			if (ret)
				return ret;
		}
	}
	if (ext2_is_htree(fs, ip))
		return ext2_htree_add(fs, dir, ip, name, len, ino, ftype);
	ret = ext2_dir_grow(fs, dir, ip, &b);
	if (ret)
		return ret;
	ret = ext2_dir_insert(fs, b, name, len, ino, ftype);
	bcache_put(&fs->cache, b);
	if (ret < 0)
		return ret;
	return ext2_write_inode(fs, dir, ip);
}

/* The entry at loc, in its pinned block. */
static int loc_entry(struct fs *fs, const struct ext2_inode *ip,
		     const struct ext2_dirloc *loc, struct bcache_buf **b)
{
	int err = ext2_dir_block(fs, ip, loc->lblk, b);

	if (!err)
		err = bcache_dirty(&fs->cache, *b, false);
	if (err)
		bcache_put(&fs->cache, *b);
	return err;
}

int ext2_dir_remove(struct fs *fs, const struct ext2_inode *ip,
		    const struct ext2_dirloc *loc)
{
	struct ext2_dirent *de, *prev;
	struct bcache_buf *b;
	int err = loc_entry(fs, ip, loc, &b);

	if (err)
		return err;
	de = (struct ext2_dirent *)(b->data + loc->off);
	if (loc->prev == ~0u) {
		de->inode = 0;
	} else {
		prev = (struct ext2_dirent *)(b->data + loc->prev);
		prev->rec_len = (u16)(prev->rec_len + de->rec_len);
	}
	bcache_put(&fs->cache, b);
	return 0;
}

int ext2_dir_retarget(struct fs *fs, const struct ext2_inode *ip,
		      const struct ext2_dirloc *loc, u32 ino, u32 mode)
{
	struct ext2_dirent *de;
	struct bcache_buf *b;
	int err = loc_entry(fs, ip, loc, &b);

	if (err)
		return err;
	de = (struct ext2_dirent *)(b->data + loc->off);
	de->inode = ino;
	if (fs->has_filetype)
		de->file_type = ext2_ftype(mode);
	bcache_put(&fs->cache, b);
	return 0;
}

static int empty_fn(void *arg, const struct fs_dirent *d, u64 lblk, u32 off,
		    u32 prev)
{
	bool dot = d->name_len == 1 && d->name[0] == '.';
	bool dotdot = d->name_len == 2 && d->name[0] == '.' && d->name[1] == '.';

	return dot || dotdot ? 0 : 1;
}

int ext2_dir_is_empty(struct fs *fs, const struct ext2_inode *ip)
{
	int ret = ext2_dir_iterate(fs, ip, 0, empty_fn, NULL);

	return ret < 0 ? ret : !ret;
}

int ext2_dir_init(struct fs *fs, u32 ino, struct ext2_inode *ip, u32 parent)
{
	struct ext2_dirent *dot, *dotdot;
	struct bcache_buf *b;
	int err = ext2_dir_grow(fs, ino, ip, &b);

	if (err)
		return err;
	dot = (struct ext2_dirent *)b->data;
	*dot = (struct ext2_dirent){ ino, 12, 1,
				     fs->has_filetype ? EXT2_FT_DIR : 0 };
	memcpy(dot + 1, ".", 1);
	dotdot = (struct ext2_dirent *)(b->data + 12);
	*dotdot = (struct ext2_dirent){ parent, (u16)(fs->block_size - 12), 2,
					fs->has_filetype ? EXT2_FT_DIR : 0 };
	memcpy(dotdot + 1, "..", 2);
	bcache_put(&fs->cache, b);
	return 0;
}

struct dir_list {
	fs_filldir_t fill;
	void *arg;
	u64 *next;
};

static int list_fn(void *arg, const struct fs_dirent *d, u64 lblk, u32 off,
		   u32 prev)
{
	struct dir_list *l = arg;
	int ret = l->fill(l->arg, d);

	if (ret < 0)
		return ret;
	*l->next = ret ? d->cookie : d->next_cookie;
	return ret;
}

int fs_readdir(struct fs *fs, struct fs_handle h, u64 cookie,
	       fs_filldir_t fill, void *arg, u64 *next)
{
	struct dir_list l = { fill, arg, next };
	struct ext2_inode ip;
	int ret = ext2_iget(fs, h, &ip);

	if (ret)
		return ret;
	if (!ext2_is(&ip, FS_S_IFDIR))
		return -ENOTDIR;
	*next = cookie;
	if (cookie == FS_COOKIE_EOF)
		return 0;
	ret = ext2_dir_iterate(fs, &ip, cookie, list_fn, &l);
	if (ret < 0)
		return ret;
	if (!ret)
		*next = FS_COOKIE_EOF;
	return 0;
}
