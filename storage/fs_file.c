/*
 * The handle-based file operations that need no directory walk:
 * getattr, read and readlink. Each call checks the handle afresh (no
 * open state), as the stateless file protocol requires.
 *
 * Locking: none; the caller serializes calls on one struct fs.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "storage/ext2.h"

/* Device number: old encoding in i_block[0], new one in i_block[1]. */
static u32 inode_rdev(const struct ext2_inode *ip)
{
	u32 old = ip->i_block[0], nw = ip->i_block[1];

	if (!ext2_is(ip, FS_S_IFCHR) && !ext2_is(ip, FS_S_IFBLK))
		return 0;
	if (old)
		return old & 0xffff;
	return (nw & 0xfff00) | (nw & 0xff);
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
		.atime = (s32)ip.i_atime,
		.mtime = (s32)ip.i_mtime,
		.ctime = (s32)ip.i_ctime,
		.mode = ip.i_mode,
		.nlink = ip.i_links_count,
		.uid = ip.i_uid | (u32)ip.l_i_uid_high << 16,
		.gid = ip.i_gid | (u32)ip.l_i_gid_high << 16,
		.gen = ip.i_generation,
		.blksize = fs->block_size,
		.rdev = inode_rdev(&ip),
	};
	return 0;
}

/* Copy n bytes at offset off inside logical block lblk (zeros if a hole). */
static int read_piece(struct fs *fs, const struct ext2_inode *ip, u64 lblk,
		      u32 off, u8 *dst, u32 n)
{
	struct bcache_buf *b;
	u32 pblk;
	int err = ext2_bmap(fs, ip, lblk, &pblk);

	if (err)
		return err;
	if (!pblk) {
		memset(dst, 0, n);
		return 0;
	}
	err = bcache_get(&fs->cache, pblk, &b);
	if (err)
		return err;
	memcpy(dst, b->data + off, n);
	bcache_put(&fs->cache, b);
	return 0;
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
	if (offset < size)
		len = (u32)MIN((u64)len, size - offset);
	else
		len = 0;
	while (done < len) {
		u64 pos = offset + done;
		u32 off = pos % fs->block_size;
		u32 n = MIN(len - done, fs->block_size - off);

		err = read_piece(fs, &ip, pos / fs->block_size, off,
				 (u8 *)buf + done, n);
		if (err)
			return err;
		done += n;
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
