/*
 * The mount table of a process's files (tmpfs.h): a file backend that
 * routes each call to the sMonitor's volume (the root) or to one of the
 * vNode's tmpfs trees mounted on /tmp and /dev/shm. An absolute path goes
 * to the tree of the longest mount point it starts with, the rest of it
 * walked there from that tree's root; a handle names its tree in the top
 * bits of its inode number (PMOUNT_SHIFT; the root's are 0), so handles
 * and st_ino stay unique across trees and VMAs of a file need nothing
 * more than its handle. A link or rename between trees is -EXDEV; a path
 * does not climb out of a mount with "..".
 *
 * The vNodes' trees are kept in the pMonitor's table (struct
 * pmount_table in struct pmon) for as long as it runs.
 *
 * Locking: see tmpfs.h; a view is read-only once made.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/string.h>

#include "processor/fd/tmpfs.h"

#define PMOUNT_SHIFT 48
#define PMOUNT_INO_MASK ((1ull << PMOUNT_SHIFT) - 1)

static const char *const pmount_point[PMOUNT_TREES] = { "/", "/tmp", "/dev/shm" };

struct pmount_view {
	struct pfile_backend tree[PMOUNT_TREES];
};

/* The tree of absolute path and the path inside it ("/" for a mount point). */
static u32 route_path(const char *path, const char **rest)
{
	for (u32 i = PMOUNT_TREES - 1; i > 0; i--) {
		size_t len = strlen(pmount_point[i]);

		if (!strncmp(path, pmount_point[i], len) && (!path[len] || path[len] == '/')) {
			*rest = path[len] ? path + len : "/";
			return i;
		}
	}
	*rest = path;
	return 0;
}

/* The tree of handle h and its handle there in *in, or -ESTALE. */
static int route_handle(const struct pmount_view *v, const struct pfile_handle *h,
			struct pfile_handle *in)
{
	u64 t = h->ino >> PMOUNT_SHIFT;

	if (t >= PMOUNT_TREES || !v->tree[t].ops)
		return -ESTALE;
	*in = *h;
	in->ino &= PMOUNT_INO_MASK;
	return (int)t;
}

/* Name tree t's handle and attributes as the view does. */
static int mark(int err, u32 t, struct pfile_handle *h, struct pfile_attr *a)
{
	if (err)
		return err;
	if (h)
		h->ino |= (u64)t << PMOUNT_SHIFT;
	if (a)
		a->ino |= (u64)t << PMOUNT_SHIFT;
	return 0;
}

#define TREE(v, t) (&(v)->tree[t])
#define CALL(v, t, op, ...) \
	(TREE(v, t)->ops->op ? TREE(v, t)->ops->op(TREE(v, t)->be, __VA_ARGS__) : -EROFS)

static int pmount_lookup(void *be, const char *path, struct pfile_handle *h,
			 struct pfile_attr *a)
{
	const char *rest;
	u32 t = route_path(path, &rest);

	return mark(CALL((struct pmount_view *)be, t, lookup, rest, h, a), t, h, a);
}

static int pmount_lookup_at(void *be, const struct pfile_handle *dir, const char *path,
			    u32 flags, struct pfile_handle *h, struct pfile_attr *a)
{
	struct pmount_view *v = be;
	struct pfile_handle in;
	const char *rest = path;
	int t;

	if (!dir || path[0] == '/')
		t = (int)route_path(path, &rest);
	else
		t = route_handle(v, dir, &in);
	if (t < 0)
		return t;
	if (!TREE(v, t)->ops->lookup_at)
		return -ENOSYS;
	return mark(TREE(v, t)->ops->lookup_at(TREE(v, t)->be, dir && path[0] != '/' ? &in : NULL,
					       rest, flags, h, a), (u32)t, h, a);
}

static int pmount_getattr(void *be, const struct pfile_handle *h, struct pfile_attr *a)
{
	struct pfile_handle in;
	int t = route_handle(be, h, &in);

	return t < 0 ? t : mark(CALL((struct pmount_view *)be, t, getattr, &in, a), (u32)t,
				NULL, a);
}

static long pmount_read(void *be, const struct pfile_handle *h, u64 off, void *buf, u32 len)
{
	struct pfile_handle in;
	int t = route_handle(be, h, &in);

	return t < 0 ? t : CALL((struct pmount_view *)be, t, read, &in, off, buf, len);
}

static long pmount_readlink(void *be, const struct pfile_handle *h, char *buf, u32 cap)
{
	struct pfile_handle in;
	int t = route_handle(be, h, &in);

	return t < 0 ? t : CALL((struct pmount_view *)be, t, readlink, &in, buf, cap);
}

static int pmount_readdir(void *be, const struct pfile_handle *h, u64 cookie,
			  struct pfile_dirent *ents, u32 max)
{
	struct pfile_handle in;
	int t = route_handle(be, h, &in), n;

	if (t < 0)
		return t;
	n = CALL((struct pmount_view *)be, t, readdir, &in, cookie, ents, max);
	for (int i = 0; i < n; i++)
		ents[i].ino |= (u64)t << PMOUNT_SHIFT;
	return n;
}

static int pmount_create_file(void *be, const struct pfile_handle *dir, const char *name,
			 u32 mode, u32 rdev, u32 flags, struct pfile_handle *h,
			 struct pfile_attr *a, bool *created)
{
	struct pfile_handle in;
	int t = route_handle(be, dir, &in);

	return t < 0 ? t : mark(CALL((struct pmount_view *)be, t, create, &in, name, mode, rdev,
				     flags, h, a, created), (u32)t, h, a);
}

static int pmount_mkdir(void *be, const struct pfile_handle *dir, const char *name,
			u32 mode, struct pfile_handle *h, struct pfile_attr *a)
{
	struct pfile_handle in;
	int t = route_handle(be, dir, &in);

	return t < 0 ? t : mark(CALL((struct pmount_view *)be, t, mkdir, &in, name, mode, h, a),
				(u32)t, h, a);
}

static int pmount_symlink(void *be, const struct pfile_handle *dir, const char *name,
			  const char *target, struct pfile_handle *h, struct pfile_attr *a)
{
	struct pfile_handle in;
	int t = route_handle(be, dir, &in);

	return t < 0 ? t : mark(CALL((struct pmount_view *)be, t, symlink, &in, name, target, h,
				     a), (u32)t, h, a);
}

static int pmount_link(void *be, const struct pfile_handle *h, const struct pfile_handle *dir,
		       const char *name)
{
	struct pfile_handle in, din;
	int t = route_handle(be, h, &in), dt = route_handle(be, dir, &din);

	if (t < 0 || dt < 0)
		return -ESTALE;
	return t != dt ? -EXDEV : CALL((struct pmount_view *)be, t, link, &in, &din, name);
}

static int pmount_unlink(void *be, const struct pfile_handle *dir, const char *name, u32 flags)
{
	struct pfile_handle in;
	int t = route_handle(be, dir, &in);

	return t < 0 ? t : CALL((struct pmount_view *)be, t, unlink, &in, name, flags);
}

static int pmount_rename(void *be, const struct pfile_handle *sdir, const char *sname,
			 const struct pfile_handle *ddir, const char *dname, u32 flags)
{
	struct pfile_handle sin, din;
	int t = route_handle(be, sdir, &sin), dt = route_handle(be, ddir, &din);

	if (t < 0 || dt < 0)
		return -ESTALE;
	return t != dt ? -EXDEV :
	       CALL((struct pmount_view *)be, t, rename, &sin, sname, &din, dname, flags);
}

static int pmount_setattr(void *be, const struct pfile_handle *h,
			  const struct pfile_setattr *sa, struct pfile_attr *a)
{
	struct pfile_handle in;
	int t = route_handle(be, h, &in);

	return t < 0 ? t : mark(CALL((struct pmount_view *)be, t, setattr, &in, sa, a), (u32)t,
				NULL, a);
}

static long pmount_write(void *be, const struct pfile_handle *h, u64 off, const void *buf,
			 u32 len, u32 flags, struct pfile_attr *a)
{
	struct pfile_handle in;
	int t = route_handle(be, h, &in);
	long r;

	if (t < 0)
		return t;
	r = CALL((struct pmount_view *)be, t, write, &in, off, buf, len, flags, a);
	if (r >= 0)
		mark(0, (u32)t, NULL, a);
	return r;
}

/* Every tree's writes durable: the root's answer (a tmpfs has nothing
 * to do). */
static int pmount_commit(void *be, u32 flags)
{
	return CALL((struct pmount_view *)be, 0, commit, flags);
}

static int pmount_statfs(void *be, const struct pfile_handle *h, struct pfile_statfs *st)
{
	struct pfile_handle in;
	int t = route_handle(be, h, &in);

	return t < 0 ? t : CALL((struct pmount_view *)be, t, statfs, &in, st);
}

static const struct pfile_ops pmount_ops = {
	.lookup = pmount_lookup,
	.lookup_at = pmount_lookup_at,
	.getattr = pmount_getattr,
	.read = pmount_read,
	.readlink = pmount_readlink,
	.readdir = pmount_readdir,
	.create = pmount_create_file,
	.mkdir = pmount_mkdir,
	.symlink = pmount_symlink,
	.link = pmount_link,
	.unlink = pmount_unlink,
	.rename = pmount_rename,
	.setattr = pmount_setattr,
	.write = pmount_write,
	.commit = pmount_commit,
	.statfs = pmount_statfs,
};

/* The table's entry of vnode, made (with its trees) if it has none. */
static struct pmount_vnode *vnode_trees(struct pmount_table *tab, u32 vnode)
{
	struct pmount_vnode *free = NULL;

	for (u32 i = 0; i < PMOUNT_VNODES; i++) {
		struct pmount_vnode *e = &tab->v[i];

		if (e->used && e->vnode == vnode)
			return e;
		if (!e->used && !free)
			free = e;
	}
	if (!free)
		return NULL;
	for (u32 t = 1; t < PMOUNT_TREES; t++) {
		if (ptmpfs_create(PTMPFS_CAP, &free->tree[t])) {
			while (--t > 0)
				ptmpfs_destroy(&free->tree[t]);
			return NULL;
		}
	}
	free->vnode = vnode;
	free->used = true;
	return free;
}

void pmount_table_init(struct pmount_table *t)
{
	memset(t, 0, sizeof(*t));
	mutex_init(&t->lock, "pmount", LOCK_RANK_PMOUNTS);
}

int pmount_create(struct pmount_table *tab, const struct pfile_backend *root, u32 vnode,
		  struct pfile_backend *out)
{
	struct pmount_view *v = kzalloc(sizeof(*v));
	struct pmount_vnode *e;

	if (!v)
		return -ENOMEM;
	mutex_lock(&tab->lock);
	e = vnode_trees(tab, vnode);
	if (e)
		memcpy(v->tree, e->tree, sizeof(v->tree));
	mutex_unlock(&tab->lock);
	if (!e) {
		kfree(v);
		return -ENOMEM;
	}
	v->tree[0] = *root;
	*out = (struct pfile_backend){ .ops = &pmount_ops, .be = v };
	return 0;
}

void pmount_destroy(struct pfile_backend *view)
{
	kfree(view->be);
	*view = (struct pfile_backend){ 0 };
}
