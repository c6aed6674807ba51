/*
 * rename(2) and renameat2(2): one operation (fs_op.c), so an existing
 * target is replaced atomically and a crash leaves either name, never
 * both or neither. A moved directory's ".." follows it and the parents'
 * link counts change with it; a directory never moves under itself.
 *
 * The two directories may be one: then a single copy of its inode is
 * used, and the source entry is found again after the target entry was
 * added (adding may move entries when a hashed directory splits).
 *
 * Locking: none; the caller serializes calls on one struct fs.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "storage/ext2.h"

#define RENAME_MAX_DEPTH 4096 /* directory levels walked up, at most */

struct rn_side {
	struct fs_handle dir;
	struct ext2_inode *dip;
	const char *name;
	u32 len;
	bool exists;
	u32 ino;
	struct ext2_dirloc loc;
	struct ext2_inode ip;
};

static int side_find(struct fs *fs, struct rn_side *s)
{
	int err = fs_name_check(s->name, s->len);

	if (!err)
		err = ext2_dir_find(fs, s->dip, s->name, s->len, &s->ino,
				    &s->loc);
	if (!err)
		err = ext2_entry_inode(fs, s->ino, &s->ip);
	s->exists = !err;
	return err == -ENOENT ? 0 : err;
}

static bool is_dir(const struct rn_side *s)
{
	return ext2_is(&s->ip, FS_S_IFDIR);
}

/* -EINVAL if directory anc is dir or one of its ancestors. */
static int not_under(struct fs *fs, u32 anc, u32 dir)
{
	struct ext2_inode ip;
	int err = 0;

	for (u32 depth = 0; depth < RENAME_MAX_DEPTH; depth++) {
		if (dir == anc)
			return -EINVAL;
		if (dir == EXT2_ROOT_INO)
			return 0;
		err = ext2_entry_inode(fs, dir, &ip);
		if (!err && !ext2_is(&ip, FS_S_IFDIR))
			err = -EUCLEAN;
		if (!err)
			err = ext2_dir_find(fs, &ip, "..", 2, &dir, NULL);
		if (err)
			return err == -ENOENT ? -EUCLEAN : err;
	}
	return -ELOOP;
}

/* Point the ".." of directory s (ino) at parent. */
static int set_dotdot(struct fs *fs, u32 ino, struct ext2_inode *ip,
		      u32 parent)
{
	struct ext2_dirloc loc;
	u32 old;
	int err = ext2_dir_find(fs, ip, "..", 2, &old, &loc);

	if (err)
		return err == -ENOENT ? -EUCLEAN : err;
	return ext2_dir_retarget(fs, ip, &loc, parent, FS_S_IFDIR);
}

static int rn_checks(struct fs *fs, struct rn_side *s, struct rn_side *d,
		     u32 flags)
{
	int err = 0;

	if (!s->exists)
		return -ENOENT;
	if ((flags & FS_RENAME_NOREPLACE) && d->exists)
		return -EEXIST;
	if ((flags & FS_RENAME_EXCHANGE) && !d->exists)
		return -ENOENT;
	if (is_dir(s) && s->dir.ino != d->dir.ino)
		err = not_under(fs, s->ino, d->dir.ino);
	if (!err && d->exists && is_dir(d) && (flags & FS_RENAME_EXCHANGE) &&
	    s->dir.ino != d->dir.ino)
		err = not_under(fs, d->ino, s->dir.ino);
	if (err || !d->exists || (flags & FS_RENAME_EXCHANGE))
		return err;
	if (is_dir(s) && !is_dir(d))
		return -ENOTDIR;
	if (!is_dir(s) && is_dir(d))
		return -EISDIR;
	if (is_dir(d)) {
		err = ext2_dir_is_empty(fs, &d->ip);
		if (err <= 0)
			return err ? err : -ENOTEMPTY;
	}
	return 0;
}

/* The target name takes src's inode: a new entry, or the old one
 * retargeted with its inode unlinked. */
static int rn_place(struct fs *fs, struct rn_side *s, struct rn_side *d)
{
	int err;

	if (!d->exists) {
		if (is_dir(s) && s->dir.ino != d->dir.ino &&
		    d->dip->i_links_count >= EXT2_LINK_MAX)
			return -EMLINK;
		err = ext2_dir_add(fs, d->dir.ino, d->dip, d->name, d->len,
				   s->ino, s->ip.i_mode);
		if (!err && is_dir(s) && s->dir.ino != d->dir.ino)
			d->dip->i_links_count++;
		return err;
	}
	err = ext2_dir_retarget(fs, d->dip, &d->loc, s->ino, s->ip.i_mode);
	if (!err && is_dir(d) && s->dir.ino == d->dir.ino)
		d->dip->i_links_count--;
	return err ? err : ext2_unlink_inode(fs, d->ino, &d->ip);
}

static int rn_move(struct fs *fs, struct rn_side *s, struct rn_side *d)
{
	int err = rn_place(fs, s, d);

	if (!err)
		err = ext2_dir_find(fs, s->dip, s->name, s->len, &s->ino,
				    &s->loc);
	if (!err)
		err = ext2_dir_remove(fs, s->dip, &s->loc);
	if (err || !is_dir(s) || s->dir.ino == d->dir.ino)
		return err;
	s->dip->i_links_count--;
	return set_dotdot(fs, s->ino, &s->ip, d->dir.ino);
}

static int rn_exchange(struct fs *fs, struct rn_side *s, struct rn_side *d)
{
	int err = ext2_dir_retarget(fs, s->dip, &s->loc, d->ino, d->ip.i_mode);

	if (!err)
		err = ext2_dir_retarget(fs, d->dip, &d->loc, s->ino,
					s->ip.i_mode);
	if (err || s->dir.ino == d->dir.ino)
		return err;
	if (is_dir(s)) {
		s->dip->i_links_count--;
		d->dip->i_links_count++;
		err = set_dotdot(fs, s->ino, &s->ip, d->dir.ino);
	}
	if (!err && is_dir(d)) {
		d->dip->i_links_count--;
		s->dip->i_links_count++;
		err = set_dotdot(fs, d->ino, &d->ip, s->dir.ino);
	}
	return err;
}

/* Write back what changed: the moved inodes' ctime, both directories. */
static int rn_finish(struct fs *fs, struct rn_side *s, struct rn_side *d,
		     bool exchange)
{
	s64 now = fs_now(fs);
	int err;

	ext2_set_time(&s->ip, &s->ip.i_ctime, &s->ip.i_ctime_extra, now);
	err = ext2_write_inode(fs, s->ino, &s->ip);
	if (!err && exchange) {
		ext2_set_time(&d->ip, &d->ip.i_ctime, &d->ip.i_ctime_extra, now);
		err = ext2_write_inode(fs, d->ino, &d->ip);
	}
	for (int i = 0; i < 2 && !err; i++) {
		struct rn_side *x = i ? d : s;

		if (i && d->dip == s->dip)
			break;
		ext2_set_time(x->dip, &x->dip->i_mtime, &x->dip->i_mtime_extra,
			      now);
		ext2_set_time(x->dip, &x->dip->i_ctime, &x->dip->i_ctime_extra,
			      now);
		err = ext2_write_inode(fs, x->dir.ino, x->dip);
	}
	return err;
}

static int rename_op(struct fs *fs, struct rn_side *s, struct rn_side *d,
		     u32 flags)
{
	struct ext2_inode sdip, ddip;
	int err;

	s->dip = &sdip;
	d->dip = s->dir.ino == d->dir.ino && s->dir.gen == d->dir.gen ? &sdip :
									  &ddip;
	err = ext2_dir_get(fs, s->dir, &sdip);
	if (!err && d->dip == &ddip)
		err = ext2_dir_get(fs, d->dir, &ddip);
	if (!err)
		err = side_find(fs, s);
	if (!err)
		err = side_find(fs, d);
	if (!err)
		err = rn_checks(fs, s, d, flags);
	if (err || (d->exists && d->ino == s->ino))
		return err;
	if (flags & FS_RENAME_EXCHANGE)
		err = rn_exchange(fs, s, d);
	else
		err = rn_move(fs, s, d);
	return err ? err : rn_finish(fs, s, d, flags & FS_RENAME_EXCHANGE);
}

int fs_rename(struct fs *fs, struct fs_handle sdir, const char *sname,
	      u32 slen, struct fs_handle ddir, const char *dname, u32 dlen,
	      u32 flags)
{
	struct rn_side s = { .dir = sdir, .name = sname, .len = slen };
	struct rn_side d = { .dir = ddir, .name = dname, .len = dlen };
	int err = fs_op_begin(fs);

	if (err)
		return err;
	if ((flags & ~(FS_RENAME_NOREPLACE | FS_RENAME_EXCHANGE)) ||
	    flags == (FS_RENAME_NOREPLACE | FS_RENAME_EXCHANGE))
		err = -EINVAL;
	else
		err = rename_op(fs, &s, &d, flags);
	return fs_op_end(fs, err);
}
