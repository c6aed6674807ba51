/*
 * Path resolution, with Linux's rules: components split on '/', "." and
 * ".." (the root's ".." is the root; the root is the volume's or a
 * vNode's directory, and absolute paths and symlinks start there), a trailing '/' demands a directory,
 * components over FS_NAME_MAX bytes and paths of FS_PATH_MAX bytes or
 * more give -ENAMETOOLONG, and symlinks are followed (the last one unless
 * FS_LOOKUP_NOFOLLOW) at most FS_MAXSYMLINKS times per lookup.
 *
 * A followed symlink is spliced into the path: the unresolved rest is
 * appended to its target in the other of the two fs->path buffers, and
 * resolution goes on from there, so there is no recursion.
 *
 * Locking: none; fs->path belongs to the one caller the owner admits.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "storage/ext2.h"

struct walk {
	struct fs *fs;
	char *path; /* the path being resolved, in fs->path[cur] */
	int cur;
	u32 pos; /* next unread byte of path */
	u32 links; /* symlinks followed so far */
	struct fs_handle root; /* where absolute paths start */
	struct fs_handle dir; /* where the next component is looked up */
	struct ext2_inode dir_ip;
};

static int walk_load(struct walk *w, struct fs_handle h)
{
	w->dir = h;
	return ext2_iget(w->fs, h, &w->dir_ip);
}

/* Replace the path with target + the unresolved rest of it. */
static int splice_symlink(struct walk *w, const struct ext2_inode *link)
{
	char *np = w->fs->path[!w->cur];
	u32 n, rest = strlen(w->path + w->pos);
	int err;

	if (++w->links > FS_MAXSYMLINKS)
		return -ELOOP;
	err = ext2_readlink(w->fs, link, np, FS_PATH_MAX, &n);
	if (err)
		return err;
	if (n == 0)
		return -ENOENT;
	if ((u64)n + rest >= FS_PATH_MAX)
		return -ENAMETOOLONG;
	memcpy(np + n, w->path + w->pos, rest + 1);
	w->cur = !w->cur;
	w->path = np;
	w->pos = 0;
	if (np[0] == '/')
		return walk_load(w, w->root);
	return 0;
}

/* Step from the current directory to component name (len bytes), whose
 * successor in the path starts at w->pos. */
static int walk_step(struct walk *w, const char *name, u32 len, u32 flags,
		     struct fs_handle *out)
{
	const char *rest = w->path + w->pos;
	bool last, want_dir = *rest == '/';
	struct ext2_inode ip;
	u32 ino;
	int err;

	while (*rest == '/')
		rest++;
	last = !*rest;
	if (!ext2_is(&w->dir_ip, FS_S_IFDIR))
		return -ENOTDIR;
	if ((len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.' &&
	     w->dir.ino == w->root.ino))
		ino = w->dir.ino;
	else if ((err = ext2_dir_find(w->fs, &w->dir_ip, name, len, &ino,
				      NULL)))
		return err;
	err = ext2_read_inode(w->fs, ino, &ip);
	if (err)
		return err;
	if (!ip.i_mode || !ip.i_links_count)
		return -EUCLEAN;
	if (ext2_is(&ip, FS_S_IFLNK) &&
	    (!last || want_dir || !(flags & FS_LOOKUP_NOFOLLOW)))
		return splice_symlink(w, &ip);
	w->dir = (struct fs_handle){ ino, ip.i_generation };
	w->dir_ip = ip;
	if ((!last || want_dir) && !ext2_is(&ip, FS_S_IFDIR))
		return -ENOTDIR;
	if (last)
		*out = w->dir;
	return 0;
}

static int walk_start(struct walk *w, struct fs *fs, struct fs_handle root,
		      struct fs_handle dir, const char *path)
{
	struct ext2_inode rip;
	u32 len = 0;

	while (len < FS_PATH_MAX && path[len])
		len++;
	if (len == FS_PATH_MAX)
		return -ENAMETOOLONG;
	if (len == 0)
		return -ENOENT;
	memcpy(fs->path[0], path, len + 1);
	*w = (struct walk){ .fs = fs, .path = fs->path[0], .root = root };
	if (root.ino != fs->root.ino || root.gen != fs->root.gen) {
		int err = ext2_iget(fs, root, &rip);

		if (err)
			return err;
		if (!ext2_is(&rip, FS_S_IFDIR))
			return -ENOTDIR;
	}
	return walk_load(w, path[0] == '/' ? root : dir);
}

int fs_lookup_in(struct fs *fs, struct fs_handle root, struct fs_handle dir,
		 const char *path, u32 flags, struct fs_handle *out)
{
	struct walk w;
	int err = walk_start(&w, fs, root, dir, path);

	while (!err) {
		const char *name;
		u32 len = 0;

		while (w.path[w.pos] == '/')
			w.pos++;
		if (!w.path[w.pos]) {
			*out = w.dir;
			return ext2_is(&w.dir_ip, FS_S_IFDIR) ? 0 : -ENOTDIR;
		}
		name = w.path + w.pos;
		while (name[len] && name[len] != '/')
			len++;
		if (len > FS_NAME_MAX)
			return -ENAMETOOLONG;
		w.pos += len;
		err = walk_step(&w, name, len, flags, out);
		if (!err && !w.path[w.pos])
			return 0;
	}
	return err;
}

int fs_lookup_at(struct fs *fs, struct fs_handle dir, const char *path,
		 u32 flags, struct fs_handle *out)
{
	return fs_lookup_in(fs, fs->root, dir, path, flags, out);
}

int fs_lookup(struct fs *fs, const char *path, struct fs_handle *out)
{
	if (path[0] != '/')
		return -EINVAL;
	return fs_lookup_at(fs, fs->root, path, 0, out);
}
