/*
 * ext2 directories: blocks of linked entries (inode, rec_len, name_len,
 * file_type, name). Every entry is checked against its block before use,
 * as Linux's ext2_check_page does: a record is at least 12 bytes, a
 * multiple of 4, holds its name and ends inside its block; so a walk
 * always advances and always ends.
 *
 * A directory position (readdir cookie) is the byte offset of an entry;
 * resuming at any offset starts at the first entry at or after it.
 *
 * Locking: none; the caller serializes calls on one struct fs.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "storage/ext2.h"

/* Visit one live entry; 0 continues, > 0 stops the walk, < 0 fails it. */
typedef int (*dir_fn)(void *arg, const struct fs_dirent *d);

static const u8 ext2_to_dtype[8] = {
	FS_DT_UNKNOWN, FS_DT_REG, FS_DT_DIR, FS_DT_CHR,
	FS_DT_BLK, FS_DT_FIFO, FS_DT_SOCK, FS_DT_LNK,
};

/* Decode the entry at pos of a directory block; *rec_len its length. */
static int dirent_decode(struct fs *fs, const u8 *blk, u32 pos,
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
static int dir_scan_block(struct fs *fs, const u8 *blk, u64 base, u64 start,
			  dir_fn fn, void *arg)
{
	struct fs_dirent d;
	u32 pos = 0, rec_len;
	int ret;

	while (pos < fs->block_size) {
		ret = dirent_decode(fs, blk, pos, &d, &rec_len);
		if (ret)
			return ret;
		d.cookie = base + pos;
		d.next_cookie = d.cookie + rec_len;
		if (d.cookie >= start && d.ino && d.name_len) {
			ret = fn(arg, &d);
			if (ret)
				return ret;
		}
		pos += rec_len;
	}
	return 0;
}

/* Walk directory ip from offset start; returns fn's stop value, 0 at the
 * end, or -errno. */
static int dir_iterate(struct fs *fs, const struct ext2_inode *ip, u64 start,
		       dir_fn fn, void *arg)
{
	u64 size = ip->i_size, bs = fs->block_size;
	struct bcache_buf *b;
	u32 pblk;
	int ret;

	if (size % bs || size > (u64)ip->i_blocks * 512)
		return -EUCLEAN;
	for (u64 lblk = start / bs; lblk < size / bs; lblk++) {
		ret = ext2_bmap(fs, ip, lblk, &pblk);
		if (!ret && !pblk)
			ret = -EUCLEAN;
		if (!ret)
			ret = bcache_get(&fs->cache, pblk, &b);
		if (ret)
			return ret;
		ret = dir_scan_block(fs, b->data, lblk * bs, start, fn, arg);
		bcache_put(&fs->cache, b);
		if (ret)
			return ret;
	}
	return 0;
}

struct dir_find {
	const char *name;
	u32 len;
	u32 ino;
};

static int find_fn(void *arg, const struct fs_dirent *d)
{
	struct dir_find *f = arg;

	if (d->name_len != f->len || memcmp(d->name, f->name, f->len))
		return 0;
	f->ino = (u32)d->ino;
	return 1;
}

int ext2_dir_find(struct fs *fs, const struct ext2_inode *ip,
		  const char *name, u32 len, u32 *ino)
{
	struct dir_find f = { name, len, 0 };
	int ret = dir_iterate(fs, ip, 0, find_fn, &f);

	if (ret < 0)
		return ret;
	if (!ret)
		return -ENOENT;
	*ino = f.ino;
	return 0;
}

struct dir_list {
	fs_filldir_t fill;
	void *arg;
	u64 *next;
};

static int list_fn(void *arg, const struct fs_dirent *d)
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
	ret = dir_iterate(fs, &ip, cookie, list_fn, &l);
	if (ret < 0)
		return ret;
	if (!ret)
		*next = FS_COOKIE_EOF;
	return 0;
}
