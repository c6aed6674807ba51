/*
 * File contents and attributes: getattr, read, write, setattr (truncate
 * among them) and readlink. Each call checks the handle afresh (no open
 * state), as the stateless file protocol requires.
 *
 * Data moves straight between the device and the caller's buffer, runs of
 * adjacent blocks in one transfer; only a partial block goes through the
 * scratch block. Ordering (ext3's data=ordered): a write's data reaches
 * the device before the operation ends, so before the transaction that
 * links its new blocks commits; a block beyond the end of file is always
 * zero past the end, so growing a file never shows old bytes.
 *
 * Locking: none; the caller serializes calls on one struct fs.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "storage/ext2.h"

#define FS_MAX_FILE (1ull << 41) /* i_blocks counts 512-byte units in 32 bits */

int fs_data_read(struct fs *fs, u64 blk, u32 count, void *buf)
{
	return fs->dev->read_blocks(fs->dev, blk * fs->per_block,
				    count * fs->per_block, buf);
}

int fs_data_write(struct fs *fs, u64 blk, u32 count, const void *buf)
{
	fs->data_pending = true;
	return fs->dev->write_blocks(fs->dev, blk * fs->per_block,
				     count * fs->per_block, buf);
}

/* Device number: old encoding in i_block[0], new one in i_block[1]; both
 * read as Linux's dev_t (major << 8 | minor, high minor bits above). */
static u32 inode_rdev(const struct ext2_inode *ip)
{
	if (!ext2_is(ip, FS_S_IFCHR) && !ext2_is(ip, FS_S_IFBLK))
		return 0;
	return ip->i_block[0] ? ip->i_block[0] & 0xffff : ip->i_block[1];
}

int fs_getattr(struct fs *fs, struct fs_handle h, struct fs_attr *out)
{
	struct ext2_inode ip;
	int err = ext2_iget(fs, h, &ip);

	if (err)
		return err;
	*out = (struct fs_attr){
		.ino = h.ino,
		.size = ext2_isize(&ip),
		.blocks = ip.i_blocks,
		.mode = ip.i_mode,
		.nlink = ip.i_links_count,
		.uid = ip.i_uid | (u32)ip.l_i_uid_high << 16,
		.gid = ip.i_gid | (u32)ip.l_i_gid_high << 16,
		.gen = ip.i_generation,
		.blksize = fs->block_size,
		.rdev = inode_rdev(&ip),
	};
	out->atime = ext2_get_time(&ip, ip.i_atime, ip.i_atime_extra,
				   &out->atime_ns);
	out->mtime = ext2_get_time(&ip, ip.i_mtime, ip.i_mtime_extra,
				   &out->mtime_ns);
	out->ctime = ext2_get_time(&ip, ip.i_ctime, ip.i_ctime_extra,
				   &out->ctime_ns);
	return 0;
}

/* Logical blocks lblk.. that map to adjacent physical blocks (or are all
 * holes), up to max: their count, the first one's block in *pblk. */
static int data_run(struct fs *fs, const struct ext2_inode *ip, u64 lblk,
		    u32 max, u32 *pblk)
{
	u32 n = 1, next;
	int err = ext2_bmap(fs, ip, lblk, pblk);

	while (!err && n < max) {
		err = ext2_bmap(fs, ip, lblk + n, &next);
		if (err || next != (*pblk ? *pblk + n : 0))
			break;
		n++;
	}
	return err ? err : (int)n;
}

/* n bytes at pos of the file into dst; a whole run of blocks if aligned.
 * Returns the bytes done or -errno. */
static int read_some(struct fs *fs, const struct ext2_inode *ip, u64 pos,
		     u8 *dst, u32 n)
{
	u32 bs = fs->block_size, off = pos % bs, pblk;
	u32 whole = off ? 0 : n / bs;
	int r = data_run(fs, ip, pos / bs, MAX(whole, 1u), &pblk), err = 0;

	if (r < 0)
		return r;
	if (whole) {
		n = (u32)r * bs;
		if (!pblk)
			memset(dst, 0, n);
		else
			err = fs_data_read(fs, pblk, (u32)r, dst);
		return err ? err : (int)n;
	}
	n = MIN(n, bs - off);
	if (pblk)
		err = fs_data_read(fs, pblk, 1, fs->scratch);
	if (err)
		return err;
	if (pblk)
		memcpy(dst, fs->scratch + off, n);
	else
		memset(dst, 0, n);
	return (int)n;
}

int fs_read(struct fs *fs, struct fs_handle h, u64 offset, void *buf,
	    u32 len, u32 *nread)
{
	struct ext2_inode ip;
	u64 size;
	u32 done = 0;
	int err = ext2_iget(fs, h, &ip);

	if (err)
		return err;
	if (ext2_is(&ip, FS_S_IFDIR))
		return -EISDIR;
	if (!ext2_is(&ip, FS_S_IFREG))
		return -EINVAL;
	size = ext2_isize(&ip);
	len = offset < size ? (u32)MIN((u64)len, size - offset) : 0;
	while (done < len) {
		int n = read_some(fs, &ip, offset + done, (u8 *)buf + done,
				  len - done);

		if (n < 0)
			return n;
		done += (u32)n;
	}
	*nread = done;
	return 0;
}

int fs_readlink(struct fs *fs, struct fs_handle h, char *buf, u32 size,
		u32 *len)
{
	struct ext2_inode ip;
	int err = ext2_iget(fs, h, &ip);

	if (err)
		return err;
	return ext2_readlink(fs, &ip, buf, size, len);
}

/* Blocks written straight from the caller's buffer, gathered into runs. */
struct wrun {
	u32 pblk, n;
	const u8 *src;
};

static int wrun_flush(struct fs *fs, struct wrun *r)
{
	int err = r->n ? fs_data_write(fs, r->pblk, r->n, r->src) : 0;

	r->n = 0;
	return err;
}

static int wrun_add(struct fs *fs, struct wrun *r, u32 pblk, const u8 *src)
{
	int err = 0;

	if (r->n && (pblk != r->pblk + r->n || src != r->src +
		     (size_t)r->n * fs->block_size || r->n == 0xffff))
		err = wrun_flush(fs, r);
	if (!r->n) {
		r->pblk = pblk;
		r->src = src;
	}
	r->n++;
	return err;
}

/* Part of a block: read it (or zeros if new), patch, write it. */
static int write_partial(struct fs *fs, u32 pblk, bool fresh, u32 off,
			 const u8 *src, u32 n)
{
	int err = 0;

	if (fresh)
		memset(fs->scratch, 0, fs->block_size);
	else
		err = fs_data_read(fs, pblk, 1, fs->scratch);
	if (err)
		return err;
	memcpy(fs->scratch + off, src, n);
	return fs_data_write(fs, pblk, 1, fs->scratch);
}

/* Write the blocks of [pos, pos + len); *done is what went in (short if
 * the volume filled up). */
static int write_blocks(struct fs *fs, u32 ino, struct ext2_inode *ip,
			u64 pos, const u8 *src, u32 len, u32 *done)
{
	struct wrun run = { 0 };
	u32 bs = fs->block_size;
	int err = 0, ferr;

	*done = 0;
	while (*done < len && !err) {
		u64 at = pos + *done;
		u32 off = at % bs, n = MIN(bs - off, len - *done), pblk;
		bool fresh;

		err = ext2_bmap_alloc(fs, ino, ip, at / bs, &pblk, &fresh);
		if (err == -ENOSPC && *done)
			break;
		if (!err && n == bs)
			err = wrun_add(fs, &run, pblk, src + *done);
		else if (!err && !(err = wrun_flush(fs, &run)))
			err = write_partial(fs, pblk, fresh, off, src + *done, n);
		if (!err)
			*done += n;
	}
	ferr = wrun_flush(fs, &run);
	if (err == -ENOSPC && *done)
		err = 0;
	return err ? err : ferr;
}

static int write_op(struct fs *fs, struct fs_handle h, u64 offset,
		    const void *buf, u32 len, u32 flags, u32 *nw, u64 *at)
{
	struct ext2_inode ip;
	s64 now = fs_now(fs);
	int err = ext2_iget(fs, h, &ip);

	if (err)
		return err;
	if (ext2_is(&ip, FS_S_IFDIR))
		return -EISDIR;
	if (!ext2_is(&ip, FS_S_IFREG))
		return -EINVAL;
	if (flags & FS_WRITE_APPEND)
		offset = ext2_isize(&ip);
	*at = offset;
	if (offset >= FS_MAX_FILE)
		return -EFBIG;
	len = (u32)MIN((u64)len, FS_MAX_FILE - offset);
	err = write_blocks(fs, h.ino, &ip, offset, buf, len, nw);
	if (err)
		return err;
	if (offset + *nw > ext2_isize(&ip))
		ext2_set_isize(&ip, offset + *nw);
	ext2_set_time(&ip, &ip.i_mtime, &ip.i_mtime_extra, now);
	ext2_set_time(&ip, &ip.i_ctime, &ip.i_ctime_extra, now);
	return ext2_write_inode(fs, h.ino, &ip);
}

int fs_write(struct fs *fs, struct fs_handle h, u64 offset, const void *buf,
	     u32 len, u32 flags, u32 *nwritten, u64 *at)
{
	int err = fs_op_begin(fs);

	*nwritten = 0;
	*at = offset;
	if (err)
		return err;
	if (flags & ~FS_WRITE_APPEND)
		err = -EINVAL;
	else if (len)
		err = write_op(fs, h, offset, buf, len, flags, nwritten, at);
	return fs_op_end(fs, err);
}

/* Cut the file to size: free the blocks past it and zero the tail of
 * the last one, so a later extension reads zeros. */
static int truncate_to(struct fs *fs, struct ext2_inode *ip, u64 size)
{
	u32 bs = fs->block_size, pblk;
	int err = ext2_free_from(fs, ip, (size + bs - 1) / bs);

	if (!err && size % bs)
		err = ext2_bmap(fs, ip, size / bs, &pblk);
	if (!err && size % bs && pblk) {
		err = fs_data_read(fs, pblk, 1, fs->scratch);
		if (!err) {
			memset(fs->scratch + size % bs, 0, bs - size % bs);
			err = fs_data_write(fs, pblk, 1, fs->scratch);
		}
	}
	if (!err)
		ext2_set_isize(ip, size);
	return err;
}

int ext2_set_size(struct fs *fs, struct ext2_inode *ip, u64 size)
{
	if (ext2_is(ip, FS_S_IFDIR))
		return -EISDIR;
	if (!ext2_is(ip, FS_S_IFREG))
		return -EINVAL;
	if (size >= FS_MAX_FILE)
		return -EFBIG;
	if (size < ext2_isize(ip))
		return truncate_to(fs, ip, size);
	ext2_set_isize(ip, size);
	return 0;
}

static void set_ids(struct ext2_inode *ip, const struct fs_setattr *sa)
{
	if (sa->valid & FS_SET_UID) {
		ip->i_uid = (u16)sa->uid;
		ip->l_i_uid_high = (u16)(sa->uid >> 16);
	}
	if (sa->valid & FS_SET_GID) {
		ip->i_gid = (u16)sa->gid;
		ip->l_i_gid_high = (u16)(sa->gid >> 16);
	}
	if (sa->valid & FS_SET_MODE)
		ip->i_mode = (u16)((ip->i_mode & FS_S_IFMT) | (sa->mode & 07777));
}

static int setattr_op(struct fs *fs, struct fs_handle h,
		      const struct fs_setattr *sa)
{
	struct ext2_inode ip;
	s64 now = fs_now(fs);
	int err = ext2_iget(fs, h, &ip);

	if (!err && (sa->valid & FS_SET_SIZE)) {
		err = ext2_set_size(fs, &ip, sa->size);
		ext2_set_time(&ip, &ip.i_mtime, &ip.i_mtime_extra, now);
	}
	if (err)
		return err;
	set_ids(&ip, sa);
	if (sa->valid & (FS_SET_ATIME | FS_SET_ATIME_NOW))
		ext2_set_time(&ip, &ip.i_atime, &ip.i_atime_extra,
			      sa->valid & FS_SET_ATIME_NOW ? now : sa->atime_ns);
	if (sa->valid & (FS_SET_MTIME | FS_SET_MTIME_NOW))
		ext2_set_time(&ip, &ip.i_mtime, &ip.i_mtime_extra,
			      sa->valid & FS_SET_MTIME_NOW ? now : sa->mtime_ns);
	ext2_set_time(&ip, &ip.i_ctime, &ip.i_ctime_extra, now);
	return ext2_write_inode(fs, h.ino, &ip);
}

#define FS_SET_ALL 255u

int fs_setattr(struct fs *fs, struct fs_handle h, const struct fs_setattr *sa)
{
	int err = fs_op_begin(fs);

	if (err)
		return err;
	err = sa->valid & ~FS_SET_ALL ? -EINVAL : setattr_op(fs, h, sa);
	return fs_op_end(fs, err);
}
