/*
 * tmpfs (tmpfs.h): the file backend ops on a tree of nodes in memory
 * (tmpfs_node.c). Paths are walked here, symlinks followed (40 at most,
 * as Linux); an absolute symlink target is walked from this tree's root
 * and ".." at the root stays there: a path never leaves the tree. Names
 * given to the ops that change the tree are one component.
 *
 * Locking: each op holds fs->lock from start to end (tmpfs_priv.h).
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/string.h>
#include <tessera/time.h>

#include "processor/fd/tmpfs_priv.h"

#define TMPFS_LINKS_MAX 40
#define TMPFS_DIR_SIZE 40 /* an empty directory's size, as Linux's tmpfs */

static int check_name(const char *name)
{
	size_t len = strlen(name);

	if (!len || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return -EINVAL;
	return len > PFILE_NAME_MAX ? -ENAMETOOLONG : 0;
}

/* One step from dir by component name (len bytes). */
static int step(struct ptmpfs *fs, struct tmpfs_node *dir, const char *name, size_t len,
		struct tmpfs_node **out)
{
	char buf[PFILE_NAME_MAX + 1];
	struct tmpfs_dirent *e;

	if (!TMPFS_IS(dir, S_IFDIR))
		return -ENOTDIR;
	if (len > PFILE_NAME_MAX)
		return -ENAMETOOLONG;
	if (len == 1 && name[0] == '.') {
		*out = dir;
		return 0;
	}
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		*out = dir->parent ? dir->parent : fs->root;
		return 0;
	}
	memcpy(buf, name, len);
	buf[len] = 0;
	e = tmpfs_dir_find(dir, buf);
	*out = e ? e->node : NULL;
	return e ? 0 : -ENOENT;
}

static int walk(struct ptmpfs *fs, struct tmpfs_node *at, const char *path, bool follow,
		int *links, struct tmpfs_node **out);

/* Follow symlink n found in dir. */
static int follow_link(struct ptmpfs *fs, struct tmpfs_node *dir, struct tmpfs_node *n,
		       int *links, struct tmpfs_node **out)
{
	if (++*links > TMPFS_LINKS_MAX)
		return -ELOOP;
	return walk(fs, dir, n->target, true, links, out);
}

static int walk(struct ptmpfs *fs, struct tmpfs_node *at, const char *path, bool follow,
		int *links, struct tmpfs_node **out)
{
	struct tmpfs_node *cur = path[0] == '/' ? fs->root : at;

	for (const char *p = path;;) {
		struct tmpfs_node *next;
		size_t len;
		bool last;
		int err;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		for (len = 0; p[len] && p[len] != '/'; len++)
			;
		last = true;
		for (const char *q = p + len; *q; q++)
			last = last && *q == '/';
		err = step(fs, cur, p, len, &next);
		if (!err && TMPFS_IS(next, S_IFLNK) && (!last || follow))
			err = follow_link(fs, cur, next, links, &next);
		if (err)
			return err;
		cur = next;
		p += len;
	}
	*out = cur;
	return 0;
}

static void handle_of(const struct tmpfs_node *n, struct pfile_handle *h)
{
	*h = (struct pfile_handle){ .ino = n->ino, .gen = n->gen };
}

/* The end of an op that found node n (err 0) for a lookup or a change. */
static int found(struct ptmpfs *fs, int err, struct tmpfs_node *n, struct pfile_handle *h,
		 struct pfile_attr *a)
{
	if (!err && h)
		handle_of(n, h);
	if (!err && a)
		tmpfs_node_attr(n, a);
	mutex_unlock(&fs->lock);
	return err;
}

static int ptmpfs_lookup_at(void *be, const struct pfile_handle *dir, const char *path,
			    u32 flags, struct pfile_handle *h, struct pfile_attr *a)
{
	struct ptmpfs *fs = be;
	struct tmpfs_node *n = NULL, *at;
	int links = 0, err = 0;

	mutex_lock(&fs->lock);
	at = dir ? tmpfs_node_get(fs, dir) : fs->root;
	if (!at)
		err = -ESTALE;
	if (!err)
		err = walk(fs, at, path, !(flags & PFILE_NOFOLLOW), &links, &n);
	return found(fs, err, n, h, a);
}

static int ptmpfs_lookup(void *be, const char *path, struct pfile_handle *h,
			 struct pfile_attr *a)
{
	return ptmpfs_lookup_at(be, NULL, path, 0, h, a);
}

/* The node of h with fs->lock taken (NULL: -ESTALE, the lock dropped). */
static struct tmpfs_node *get_locked(struct ptmpfs *fs, const struct pfile_handle *h)
{
	struct tmpfs_node *n;

	mutex_lock(&fs->lock);
	n = tmpfs_node_get(fs, h);
	if (!n)
		mutex_unlock(&fs->lock);
	return n;
}

static int ptmpfs_getattr(void *be, const struct pfile_handle *h, struct pfile_attr *a)
{
	struct tmpfs_node *n = get_locked(be, h);

	return n ? found(be, 0, n, NULL, a) : -ESTALE;
}

static long ptmpfs_read(void *be, const struct pfile_handle *h, u64 off, void *buf, u32 len)
{
	struct ptmpfs *fs = be;
	struct tmpfs_node *n = get_locked(fs, h);
	long r;

	if (!n)
		return -ESTALE;
	r = TMPFS_IS(n, S_IFDIR) ? -EISDIR :
	    !TMPFS_IS(n, S_IFREG) ? -EINVAL : tmpfs_data_read(n, off, buf, len);
	mutex_unlock(&fs->lock);
	return r;
}

static long ptmpfs_readlink(void *be, const struct pfile_handle *h, char *buf, u32 cap)
{
	struct ptmpfs *fs = be;
	struct tmpfs_node *n = get_locked(fs, h);
	long r;

	if (!n)
		return -ESTALE;
	r = TMPFS_IS(n, S_IFLNK) ? (long)MIN((u64)cap, n->size) : -EINVAL;
	if (r > 0)
		memcpy(buf, n->target, (size_t)r);
	mutex_unlock(&fs->lock);
	return r;
}

static void dirent_of(struct pfile_dirent *d, const struct tmpfs_node *n, const char *name,
		      u64 next)
{
	size_t len = strlen(name);

	d->ino = n->ino;
	d->next_cookie = next;
	d->type = (u8)((n->mode & S_IFMT) >> 12);
	d->name_len = (u8)len;
	memcpy(d->name, name, len + 1);
}

/* Cookies: 0 ".", 1 "..", then entry e at e->cookie + 1. */
static int ptmpfs_readdir(void *be, const struct pfile_handle *h, u64 cookie,
			  struct pfile_dirent *ents, u32 max)
{
	struct ptmpfs *fs = be;
	struct tmpfs_node *n = get_locked(fs, h);
	u32 k = 0;

	if (!n)
		return -ESTALE;
	if (!TMPFS_IS(n, S_IFDIR)) {
		mutex_unlock(&fs->lock);
		return -ENOTDIR;
	}
	if (cookie == 0 && k < max)
		dirent_of(&ents[k++], n, ".", 1);
	if (cookie <= 1 && k < max)
		dirent_of(&ents[k++], n->parent ? n->parent : n, "..", 2);
	for (struct tmpfs_dirent *e = n->ents; e && k < max; e = e->next)
		if (e->cookie + 1 >= cookie)
			dirent_of(&ents[k++], e->node, e->name, e->cookie + 2);
	mutex_unlock(&fs->lock);
	return (int)k;
}

/* Start a change in directory dir on name: fs->lock taken, *d the
 * directory, *e its entry called name (NULL if none). */
static int begin(struct ptmpfs *fs, const struct pfile_handle *dir, const char *name,
		 struct tmpfs_node **d, struct tmpfs_dirent **e)
{
	int err = check_name(name);

	if (err)
		return err;
	mutex_lock(&fs->lock);
	*d = tmpfs_node_get(fs, dir);
	err = !*d ? -ESTALE : !TMPFS_IS(*d, S_IFDIR) ? -ENOTDIR : 0;
	if (err) {
		mutex_unlock(&fs->lock);
		return err;
	}
	*e = tmpfs_dir_find(*d, name);
	return 0;
}

/* A new node of mode named name in d, or -errno (nothing changed). */
static int add_node(struct ptmpfs *fs, struct tmpfs_node *d, const char *name, u32 mode,
		    struct tmpfs_node **out)
{
	struct tmpfs_node *n = tmpfs_node_new(fs, mode);

	if (!n)
		return -ENOMEM;
	if (tmpfs_dir_add(d, name, n)) {
		tmpfs_node_unlink(fs, n);
		return -ENOMEM;
	}
	*out = n;
	return 0;
}

static int ptmpfs_create_file(void *be, const struct pfile_handle *dir, const char *name,
			 u32 mode, u32 rdev, u32 flags, struct pfile_handle *h,
			 struct pfile_attr *a, bool *created)
{
	struct ptmpfs *fs = be;
	struct tmpfs_node *d, *n = NULL;
	struct tmpfs_dirent *e;
	int err = begin(fs, dir, name, &d, &e);

	if (err)
		return err;
	*created = !e;
	if (e) {
		n = e->node;
		err = flags & PFILE_CREATE_EXCL ? -EEXIST : 0;
		if (!err && flags & PFILE_CREATE_TRUNC && TMPFS_IS(n, S_IFREG) && n->size) {
			err = tmpfs_data_truncate(fs, n, 0);
			tmpfs_node_touch(n, true);
		}
	} else {
		err = add_node(fs, d, name, (mode & S_IFMT ? mode : mode | S_IFREG), &n);
		if (!err)
			n->rdev = rdev;
	}
	return found(fs, err, n, h, a);
}

static int ptmpfs_mkdir(void *be, const struct pfile_handle *dir, const char *name,
			u32 mode, struct pfile_handle *h, struct pfile_attr *a)
{
	struct ptmpfs *fs = be;
	struct tmpfs_node *d, *n = NULL;
	struct tmpfs_dirent *e;
	int err = begin(fs, dir, name, &d, &e);

	if (err)
		return err;
	err = e ? -EEXIST : add_node(fs, d, name, S_IFDIR | (mode & 07777), &n);
	if (!err) {
		n->nlink = 2;
		n->parent = d;
		n->size = TMPFS_DIR_SIZE;
		d->nlink++;
	}
	return found(fs, err, n, h, a);
}

static int ptmpfs_symlink(void *be, const struct pfile_handle *dir, const char *name,
			  const char *target, struct pfile_handle *h, struct pfile_attr *a)
{
	struct ptmpfs *fs = be;
	size_t len = strlen(target);
	char *copy = kmalloc(len + 1);
	struct tmpfs_node *d, *n = NULL;
	struct tmpfs_dirent *e;
	int err = copy ? begin(fs, dir, name, &d, &e) : -ENOMEM;

	if (err) {
		kfree(copy);
		return err;
	}
	memcpy(copy, target, len + 1);
	err = e ? -EEXIST : add_node(fs, d, name, S_IFLNK | 0777, &n);
	if (!err) {
		n->target = copy;
		n->size = len;
	} else {
		kfree(copy);
	}
	return found(fs, err, n, h, a);
}

static int ptmpfs_link(void *be, const struct pfile_handle *h, const struct pfile_handle *dir,
		       const char *name)
{
	struct ptmpfs *fs = be;
	struct tmpfs_node *d, *n;
	struct tmpfs_dirent *e;
	int err = begin(fs, dir, name, &d, &e);

	if (err)
		return err;
	n = tmpfs_node_get(fs, h);
	err = !n ? -ESTALE : TMPFS_IS(n, S_IFDIR) ? -EPERM : e ? -EEXIST :
	      tmpfs_dir_add(d, name, n);
	if (!err) {
		n->nlink++;
		tmpfs_node_touch(n, false);
	}
	mutex_unlock(&fs->lock);
	return err;
}

/* Whether removing node n's entry is refused, and how (rmdir: dir). */
static int unlink_refused(const struct tmpfs_node *n, bool dir)
{
	if (dir)
		return !TMPFS_IS(n, S_IFDIR) ? -ENOTDIR : n->ents ? -ENOTEMPTY : 0;
	return TMPFS_IS(n, S_IFDIR) ? -EISDIR : 0;
}

/* Take entry e (its node n) out of d and drop n's name. */
static void drop_entry(struct ptmpfs *fs, struct tmpfs_node *d, struct tmpfs_dirent *e)
{
	struct tmpfs_node *n = e->node;

	if (TMPFS_IS(n, S_IFDIR))
		d->nlink--;
	tmpfs_dir_remove(d, e);
	tmpfs_node_unlink(fs, n);
}

static int ptmpfs_unlink(void *be, const struct pfile_handle *dir, const char *name,
			 u32 flags)
{
	struct ptmpfs *fs = be;
	struct tmpfs_node *d;
	struct tmpfs_dirent *e;
	int err = begin(fs, dir, name, &d, &e);

	if (err)
		return err;
	err = !e ? -ENOENT : unlink_refused(e->node, flags & PFILE_UNLINK_DIR);
	if (!err)
		drop_entry(fs, d, e);
	mutex_unlock(&fs->lock);
	return err;
}

/* Whether a is dir or below it. */
static bool is_below(const struct tmpfs_node *a, const struct tmpfs_node *dir)
{
	for (; a; a = a->parent)
		if (a == dir)
			return true;
	return false;
}

/* Whether moving entry s of sdir over t (NULL: none) in ddir is refused. */
static int rename_refused(struct tmpfs_node *ddir, struct tmpfs_dirent *s,
			  struct tmpfs_dirent *t, u32 flags)
{
	struct tmpfs_node *n = s->node;

	if (flags & PFILE_RENAME_EXCHANGE)
		return -EINVAL; /* not offered: the callers never ask */
	if (t && flags & PFILE_RENAME_NOREPLACE)
		return -EEXIST;
	if (TMPFS_IS(n, S_IFDIR) && is_below(ddir, n))
		return -EINVAL;
	if (!t || t->node == n)
		return 0;
	if (TMPFS_IS(n, S_IFDIR))
		return unlink_refused(t->node, true);
	return TMPFS_IS(t->node, S_IFDIR) ? -EISDIR : 0;
}

/* Move s (in sdir) to name in ddir, over t if there is one. */
static int move(struct ptmpfs *fs, struct tmpfs_node *sdir, struct tmpfs_dirent *s,
		struct tmpfs_node *ddir, struct tmpfs_dirent *t, const char *name)
{
	struct tmpfs_node *n = s->node;
	int err = t ? 0 : tmpfs_dir_add(ddir, name, n);

	if (err)
		return err;
	if (t) {
		struct tmpfs_node *old = t->node;

		t->node = n;
		if (TMPFS_IS(old, S_IFDIR))
			ddir->nlink--;
		tmpfs_node_unlink(fs, old);
	}
	tmpfs_dir_remove(sdir, s);
	if (TMPFS_IS(n, S_IFDIR)) {
		sdir->nlink--;
		ddir->nlink++;
		n->parent = ddir;
	}
	tmpfs_node_touch(n, false);
	return 0;
}

static int ptmpfs_rename(void *be, const struct pfile_handle *sdir_h, const char *sname,
			 const struct pfile_handle *ddir_h, const char *dname, u32 flags)
{
	struct ptmpfs *fs = be;
	struct tmpfs_node *sdir, *ddir;
	struct tmpfs_dirent *s, *t;
	int err = check_name(dname);

	if (!err)
		err = begin(fs, sdir_h, sname, &sdir, &s);
	if (err)
		return err;
	ddir = tmpfs_node_get(fs, ddir_h);
	err = !ddir ? -ESTALE : !TMPFS_IS(ddir, S_IFDIR) ? -ENOTDIR : !s ? -ENOENT : 0;
	t = err ? NULL : tmpfs_dir_find(ddir, dname);
	if (!err)
		err = rename_refused(ddir, s, t, flags);
	if (!err && !(t && t->node == s->node))
		err = move(fs, sdir, s, ddir, t, dname);
	mutex_unlock(&fs->lock);
	return err;
}

static u64 time_of(s64 ns, bool now)
{
	return now ? walltime_ns() : (u64)ns;
}

static int ptmpfs_setattr(void *be, const struct pfile_handle *h,
			  const struct pfile_setattr *sa, struct pfile_attr *a)
{
	struct ptmpfs *fs = be;
	struct tmpfs_node *n = get_locked(fs, h);
	int err = 0;

	if (!n)
		return -ESTALE;
	if (sa->valid & PFILE_SET_SIZE)
		err = TMPFS_IS(n, S_IFDIR) ? -EISDIR : !TMPFS_IS(n, S_IFREG) ? -EINVAL :
		      tmpfs_data_truncate(fs, n, sa->size);
	if (err)
		return found(fs, err, n, NULL, NULL);
	if (sa->valid & PFILE_SET_MODE)
		n->mode = (n->mode & S_IFMT) | (sa->mode & 07777);
	if (sa->valid & PFILE_SET_UID)
		n->uid = sa->uid;
	if (sa->valid & PFILE_SET_GID)
		n->gid = sa->gid;
	tmpfs_node_touch(n, sa->valid & PFILE_SET_SIZE);
	if (sa->valid & (PFILE_SET_ATIME | PFILE_SET_ATIME_NOW))
		n->atime_ns = time_of(sa->atime_ns, sa->valid & PFILE_SET_ATIME_NOW);
	if (sa->valid & (PFILE_SET_MTIME | PFILE_SET_MTIME_NOW))
		n->mtime_ns = time_of(sa->mtime_ns, sa->valid & PFILE_SET_MTIME_NOW);
	return found(fs, 0, n, NULL, a);
}

static long ptmpfs_write(void *be, const struct pfile_handle *h, u64 off, const void *buf,
			 u32 len, u32 flags, struct pfile_attr *a)
{
	struct ptmpfs *fs = be;
	struct tmpfs_node *n = get_locked(fs, h);
	long r;

	if (!n)
		return -ESTALE;
	r = TMPFS_IS(n, S_IFDIR) ? -EISDIR : !TMPFS_IS(n, S_IFREG) ? -EINVAL :
	    tmpfs_data_write(fs, n, flags & PFILE_WRITE_APPEND ? n->size : off, buf, len);
	if (r >= 0 && a)
		tmpfs_node_attr(n, a);
	mutex_unlock(&fs->lock);
	return r;
}

/* Memory is as durable as a tmpfs gets. */
static int ptmpfs_commit(void *be, u32 flags)
{
	return 0;
}

static int ptmpfs_statfs(void *be, const struct pfile_handle *h, struct pfile_statfs *st)
{
	struct ptmpfs *fs = be;
	u64 used = 0;

	mutex_lock(&fs->lock);
	for (u32 i = 0; i < fs->nslot; i++)
		used += fs->slot[i] != NULL;
	*st = (struct pfile_statfs){
		.blocks = fs->cap / TMPFS_PAGE, .bfree = (fs->cap - fs->bytes) / TMPFS_PAGE,
		.bavail = (fs->cap - fs->bytes) / TMPFS_PAGE, .files = fs->cap / TMPFS_PAGE,
		.ffree = fs->cap / TMPFS_PAGE - MIN(used, fs->cap / TMPFS_PAGE),
		.fsid = (u64)(uintptr_t)fs, .bsize = TMPFS_PAGE, .name_max = PFILE_NAME_MAX,
		.magic = PTMPFS_MAGIC,
	};
	mutex_unlock(&fs->lock);
	return 0;
}

static const struct pfile_ops ptmpfs_ops = {
	.lookup = ptmpfs_lookup,
	.lookup_at = ptmpfs_lookup_at,
	.getattr = ptmpfs_getattr,
	.read = ptmpfs_read,
	.readlink = ptmpfs_readlink,
	.readdir = ptmpfs_readdir,
	.create = ptmpfs_create_file,
	.mkdir = ptmpfs_mkdir,
	.symlink = ptmpfs_symlink,
	.link = ptmpfs_link,
	.unlink = ptmpfs_unlink,
	.rename = ptmpfs_rename,
	.setattr = ptmpfs_setattr,
	.write = ptmpfs_write,
	.commit = ptmpfs_commit,
	.statfs = ptmpfs_statfs,
};

int ptmpfs_create(u64 cap, struct pfile_backend *out)
{
	struct ptmpfs *fs = kzalloc(sizeof(*fs));

	if (!fs)
		return -ENOMEM;
	mutex_init(&fs->lock, "tmpfs", LOCK_RANK_TMPFS);
	fs->cap = cap;
	fs->root = tmpfs_node_new(fs, S_IFDIR | 01777);
	if (!fs->root) {
		kfree(fs->slot);
		kfree(fs->slot_gen);
		kfree(fs);
		return -ENOMEM;
	}
	fs->root->nlink = 2;
	fs->root->size = TMPFS_DIR_SIZE;
	*out = (struct pfile_backend){ .ops = &ptmpfs_ops, .be = fs };
	return 0;
}

void ptmpfs_destroy(struct pfile_backend *b)
{
	struct ptmpfs *fs = b->be;

	if (!fs)
		return;
	tmpfs_node_free_all(fs);
	kfree(fs->slot);
	kfree(fs->slot_gen);
	kfree(fs);
	*b = (struct pfile_backend){ 0 };
}
