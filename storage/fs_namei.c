/*
 * Names: create, mkdir, symlink, link and unlink (rmdir among them), each
 * one operation (fs_op.c), so it happens whole or not at all. A new inode
 * gets a fresh generation, so handles to a freed inode whose number is
 * reused stay stale. An inode is freed with its last link (its blocks
 * with it); there are no orphans, since the protocol has no open state.
 *
 * Locking: none; the caller serializes calls on one struct fs.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "storage/ext2.h"

/* The directory a handle names. */
int ext2_dir_get(struct fs *fs, struct fs_handle h, struct ext2_inode *ip)
{
	int err = ext2_iget(fs, h, ip);

	if (!err && !ext2_is(ip, FS_S_IFDIR))
		err = -ENOTDIR;
	return err;
}

static void touch(struct fs *fs, struct ext2_inode *ip, bool mtime, s64 now)
{
	if (mtime)
		ext2_set_time(ip, &ip->i_mtime, &ip->i_mtime_extra, now);
	ext2_set_time(ip, &ip->i_ctime, &ip->i_ctime_extra, now);
}

/* A fresh inode of mode for who, in use from now on. */
static int new_inode(struct fs *fs, u32 dir, u32 mode,
		     const struct fs_owner *who, struct ext2_inode *ip,
		     u32 *ino)
{
	s64 now = fs_now(fs);
	int err = ext2_alloc_inode(fs, dir, (mode & FS_S_IFMT) == FS_S_IFDIR,
				   ino);

	if (err)
		return err;
	memset(ip, 0, sizeof(*ip));
	ip->i_mode = (u16)mode;
	ip->i_uid = (u16)who->uid;
	ip->l_i_uid_high = (u16)(who->uid >> 16);
	ip->i_gid = (u16)who->gid;
	ip->l_i_gid_high = (u16)(who->gid >> 16);
	ip->i_links_count = 1;
	ip->i_generation = fs->next_gen++;
	if (fs->inode_size >= EXT2_GOOD_OLD_INODE_SIZE + EXT2_EXTRA_ISIZE)
		ip->i_extra_isize = EXT2_EXTRA_ISIZE;
	ext2_set_time(ip, &ip->i_atime, &ip->i_atime_extra, now);
	ext2_set_time(ip, &ip->i_crtime, &ip->i_crtime_extra, now);
	touch(fs, ip, true, now);
	return 0;
}

static bool has_blocks(struct fs *fs, const struct ext2_inode *ip)
{
	u32 ea = ip->i_file_acl ? fs->block_size / 512 : 0;

	if (ext2_is(ip, FS_S_IFREG) || ext2_is(ip, FS_S_IFDIR))
		return true;
	return ext2_is(ip, FS_S_IFLNK) && ip->i_blocks > ea;
}

/* Drop one link of ino (all of a directory's); free it with the last. */
int ext2_unlink_inode(struct fs *fs, u32 ino, struct ext2_inode *ip)
{
	bool dir = ext2_is(ip, FS_S_IFDIR);
	s64 now = fs_now(fs);
	int err = 0;

	if (!dir && ip->i_links_count > 1) {
		ip->i_links_count--;
		touch(fs, ip, false, now);
		return ext2_write_inode(fs, ino, ip);
	}
	if (has_blocks(fs, ip))
		err = ext2_free_from(fs, ip, 0);
	if (err)
		return err;
	ip->i_links_count = 0;
	ip->i_dtime = (u32)(now / 1000000000);
	ext2_set_isize(ip, 0);
	err = ext2_write_inode(fs, ino, ip);
	return err ? err : ext2_free_inode(fs, ino, dir);
}

static bool create_type_ok(u32 mode)
{
	u32 t = mode & FS_S_IFMT;

	return t == FS_S_IFREG || t == FS_S_IFIFO || t == FS_S_IFSOCK ||
	       t == FS_S_IFCHR || t == FS_S_IFBLK;
}

/* The name exists: open it as O_CREAT without O_EXCL would. */
static int create_existing(struct fs *fs, u32 ino, u32 flags,
			   struct fs_handle *out)
{
	struct ext2_inode ip;
	int err;

	if (flags & FS_CREATE_EXCL)
		return -EEXIST;
	err = ext2_read_inode(fs, ino, &ip);
	if (err)
		return err;
	if (!ip.i_mode || !ip.i_links_count)
		return -EUCLEAN;
	*out = (struct fs_handle){ ino, ip.i_generation };
	if (!(flags & FS_CREATE_TRUNC) || !ext2_is(&ip, FS_S_IFREG) ||
	    !ext2_isize(&ip))
		return 0;
	err = ext2_set_size(fs, &ip, 0);
	if (!err) {
		touch(fs, &ip, true, fs_now(fs));
		err = ext2_write_inode(fs, ino, &ip);
	}
	return err;
}

/* Link the new inode ino (mode) under name in dir and touch dir. */
static int link_new(struct fs *fs, struct fs_handle dir,
		    struct ext2_inode *dip, const char *name, u32 len,
		    u32 ino, u32 mode)
{
	int err = ext2_dir_add(fs, dir.ino, dip, name, len, ino, mode);

	if (err)
		return err;
	touch(fs, dip, true, fs_now(fs));
	return ext2_write_inode(fs, dir.ino, dip);
}

static void set_rdev(struct ext2_inode *ip, u32 rdev)
{
	u32 major = rdev >> 8 & 0xfff, minor = (rdev & 0xff) | (rdev >> 12 & ~0xffu);

	if (!ext2_is(ip, FS_S_IFCHR) && !ext2_is(ip, FS_S_IFBLK))
		return;
	if (major < 256 && minor < 256)
		ip->i_block[0] = major << 8 | minor;
	else
		ip->i_block[1] = rdev;
}

static int create_op(struct fs *fs, struct fs_handle dir, const char *name,
		     u32 len, u32 mode, u32 rdev, u32 flags,
		     const struct fs_owner *who, struct fs_handle *out,
		     bool *created)
{
	struct ext2_inode dip, ip;
	u32 ino;
	int err = ext2_dir_get(fs, dir, &dip);

	if (!err)
		err = fs_name_check(name, len);
	if (!err)
		err = ext2_dir_find(fs, &dip, name, len, &ino, NULL);
	if (!err)
		return create_existing(fs, ino, flags, out);
	if (err != -ENOENT)
		return err;
	if (!create_type_ok(mode))
		return -EINVAL;
	err = new_inode(fs, dir.ino, mode, who, &ip, &ino);
	if (err)
		return err;
	set_rdev(&ip, rdev);
	err = ext2_write_inode(fs, ino, &ip);
	if (!err)
		err = link_new(fs, dir, &dip, name, len, ino, mode);
	*out = (struct fs_handle){ ino, ip.i_generation };
	*created = !err;
	return err;
}

int fs_create(struct fs *fs, struct fs_handle dir, const char *name,
	      u32 name_len, u32 mode, u32 rdev, u32 flags,
	      const struct fs_owner *who, struct fs_handle *out,
	      bool *created)
{
	int err = fs_op_begin(fs);

	*created = false;
	if (err)
		return err;
	if (flags & ~(FS_CREATE_EXCL | FS_CREATE_TRUNC))
		err = -EINVAL;
	else
		err = create_op(fs, dir, name, name_len, mode, rdev, flags, who,
				out, created);
	return fs_op_end(fs, err);
}

/* The name must not exist in dir yet. */
static int name_free(struct fs *fs, struct ext2_inode *dip, const char *name,
		     u32 len)
{
	u32 ino;
	int err = fs_name_check(name, len);

	if (!err)
		err = ext2_dir_find(fs, dip, name, len, &ino, NULL);
	return err == -ENOENT ? 0 : err ? err : -EEXIST;
}

static int mkdir_op(struct fs *fs, struct fs_handle dir, const char *name,
		    u32 len, u32 mode, const struct fs_owner *who,
		    struct fs_handle *out)
{
	struct ext2_inode dip, ip;
	u32 ino;
	int err = ext2_dir_get(fs, dir, &dip);

	if (!err)
		err = name_free(fs, &dip, name, len);
	if (!err && dip.i_links_count >= EXT2_LINK_MAX)
		err = -EMLINK;
	if (!err)
		err = new_inode(fs, dir.ino, FS_S_IFDIR | (mode & 07777), who,
				&ip, &ino);
	if (err)
		return err;
	ip.i_links_count = 2;
	err = ext2_dir_init(fs, ino, &ip, dir.ino);
	if (!err)
		err = ext2_write_inode(fs, ino, &ip);
	dip.i_links_count++;
	if (!err)
		err = link_new(fs, dir, &dip, name, len, ino, FS_S_IFDIR);
	*out = (struct fs_handle){ ino, ip.i_generation };
	return err;
}

int fs_mkdir(struct fs *fs, struct fs_handle dir, const char *name,
	     u32 name_len, u32 mode, const struct fs_owner *who,
	     struct fs_handle *out)
{
	int err = fs_op_begin(fs);

	if (!err)
		err = fs_op_end(fs, mkdir_op(fs, dir, name, name_len, mode, who,
					     out));
	return err;
}

/* A symlink's target: in i_block if it fits, else in a block of its own
 * (through the cache, so it is journaled like a directory). */
static int symlink_target(struct fs *fs, u32 ino, struct ext2_inode *ip,
			  const char *target, u32 tlen)
{
	struct bcache_buf *b;
	bool fresh;
	u32 pblk;
	int err;

	ip->i_size = tlen;
	if (tlen < EXT2_FAST_SYMLINK_MAX) {
		memcpy(ip->i_block, target, tlen);
		return 0;
	}
	err = ext2_bmap_alloc(fs, ino, ip, 0, &pblk, &fresh);
	if (!err)
		err = bcache_get_new(&fs->cache, pblk, &b);
	if (err)
		return err;
	err = bcache_dirty(&fs->cache, b, false);
	if (!err)
		memcpy(b->data, target, tlen);
	bcache_put(&fs->cache, b);
	return err;
}

static int symlink_op(struct fs *fs, struct fs_handle dir, const char *name,
		      u32 len, const char *target, u32 tlen,
		      const struct fs_owner *who, struct fs_handle *out)
{
	struct ext2_inode dip, ip;
	u32 ino;
	int err = ext2_dir_get(fs, dir, &dip);

	for (u32 i = 0; !err && i < tlen; i++)
		if (!target[i])
			err = -EINVAL;
	if (!err && !tlen)
		err = -ENOENT;
	if (!err && tlen >= fs->block_size)
		err = -ENAMETOOLONG;
	if (!err)
		err = name_free(fs, &dip, name, len);
	if (!err)
		err = new_inode(fs, dir.ino, FS_S_IFLNK | 0777, who, &ip, &ino);
	if (!err)
		err = symlink_target(fs, ino, &ip, target, tlen);
	if (!err)
		err = ext2_write_inode(fs, ino, &ip);
	if (!err)
		err = link_new(fs, dir, &dip, name, len, ino, FS_S_IFLNK);
	if (!err)
		*out = (struct fs_handle){ ino, ip.i_generation };
	return err;
}

int fs_symlink(struct fs *fs, struct fs_handle dir, const char *name,
	       u32 name_len, const char *target, u32 target_len,
	       const struct fs_owner *who, struct fs_handle *out)
{
	int err = fs_op_begin(fs);

	if (!err)
		err = fs_op_end(fs, symlink_op(fs, dir, name, name_len, target,
					       target_len, who, out));
	return err;
}

static int link_op(struct fs *fs, struct fs_handle h, struct fs_handle dir,
		   const char *name, u32 len)
{
	struct ext2_inode dip, ip;
	int err = ext2_iget(fs, h, &ip);

	if (!err && ext2_is(&ip, FS_S_IFDIR))
		err = -EPERM;
	if (!err && ip.i_links_count >= FS_LINK_MAX)
		err = -EMLINK;
	if (!err)
		err = ext2_dir_get(fs, dir, &dip);
	if (!err)
		err = name_free(fs, &dip, name, len);
	if (!err)
		err = link_new(fs, dir, &dip, name, len, h.ino, ip.i_mode);
	if (err)
		return err;
	ip.i_links_count++;
	touch(fs, &ip, false, fs_now(fs));
	return ext2_write_inode(fs, h.ino, &ip);
}

int fs_link(struct fs *fs, struct fs_handle h, struct fs_handle dir,
	    const char *name, u32 name_len)
{
	int err = fs_op_begin(fs);

	if (!err)
		err = fs_op_end(fs, link_op(fs, h, dir, name, name_len));
	return err;
}

/* The inode a directory entry names, checked to be in use. */
int ext2_entry_inode(struct fs *fs, u32 ino, struct ext2_inode *ip)
{
	int err = ext2_read_inode(fs, ino, ip);

	if (!err && (!ip->i_mode || !ip->i_links_count))
		err = -EUCLEAN;
	return err;
}

static int unlink_op(struct fs *fs, struct fs_handle dir, const char *name,
		     u32 len, u32 flags)
{
	struct ext2_inode dip, ip;
	struct ext2_dirloc loc;
	u32 ino;
	int err = ext2_dir_get(fs, dir, &dip);

	if (!err)
		err = fs_name_check(name, len);
	if (!err)
		err = ext2_dir_find(fs, &dip, name, len, &ino, &loc);
	if (!err)
		err = ext2_entry_inode(fs, ino, &ip);
	if (err)
		return err;
	if (!(flags & FS_UNLINK_DIR) && ext2_is(&ip, FS_S_IFDIR))
		return -EISDIR;
	if ((flags & FS_UNLINK_DIR) && !ext2_is(&ip, FS_S_IFDIR))
		return -ENOTDIR;
	if (flags & FS_UNLINK_DIR) {
		err = ext2_dir_is_empty(fs, &ip);
		if (err <= 0)
			return err ? err : -ENOTEMPTY;
		dip.i_links_count--;
	}
	err = ext2_dir_remove(fs, &dip, &loc);
	if (!err)
		err = ext2_unlink_inode(fs, ino, &ip);
	if (err)
		return err;
	touch(fs, &dip, true, fs_now(fs));
	return ext2_write_inode(fs, dir.ino, &dip);
}

int fs_unlink(struct fs *fs, struct fs_handle dir, const char *name,
	      u32 name_len, u32 flags)
{
	int err = fs_op_begin(fs);

	if (err)
		return err;
	err = flags & ~FS_UNLINK_DIR ? -EINVAL :
				       unlink_op(fs, dir, name, name_len, flags);
	return fs_op_end(fs, err);
}
