/*
 * The path half of pabi_ops that changes names and attributes: mknod
 * (mkdir among them), unlink (rmdir), rename, link, symlink, readlink,
 * setattr, fsync, statfs, with Linux's answers for the special last
 * names ("/", ".", "..", a trailing '/'). A path is split into its
 * directory, looked up through the file backend, and its last name, which
 * the backend's op changes. A backend that cannot change files (no op)
 * gives -EROFS.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/string.h>
#include <tessera/uapi/fcntl.h>
#include <tessera/uapi/stat.h>
#include <tessera/uapi/statfs.h>

#include "processor/fd/pseudo.h"
#include "processor/proc/proc.h"

_Static_assert(ABI_SET_MODE == PFILE_SET_MODE && ABI_SET_SIZE == PFILE_SET_SIZE &&
	       ABI_SET_MTIME_NOW == PFILE_SET_MTIME_NOW, "setattr bits carry over");

static struct pproc *pabi_proc(struct abi_thread *t)
{
	return t->proc->priv;
}

int pabi_split(struct pproc *p, int dirfd, const char *path, struct ppath *out)
{
	char *abs, *last;
	size_t len;
	int err = pabi_abs_path(p, dirfd, path, &abs);

	if (err)
		return err;
	if (pseudo_mounted(abs)) {
		kfree(abs);
		return -EACCES;
	}
	*out = (struct ppath){ .buf = abs, .dir = "/", .name = "" };
	len = strlen(abs);
	for (; len > 1 && abs[len - 1] == '/'; out->slash = true)
		abs[--len] = 0;
	out->full = kmalloc(len + 1);
	if (!out->full) {
		kfree(abs);
		return -ENOMEM;
	}
	memcpy(out->full, abs, len + 1);
	if (len == 1) {
		out->kind = PPATH_ROOT;
		return 0;
	}
	for (last = abs + len; last[-1] != '/'; last--)
		;
	out->name = last;
	if (last - abs > 1) {
		last[-1] = 0;
		out->dir = abs;
	}
	out->kind = !strcmp(last, ".") ? PPATH_DOT : !strcmp(last, "..") ? PPATH_DOTDOT
									 : PPATH_NAME;
	return 0;
}

void pabi_split_free(struct ppath *pp)
{
	kfree(pp->buf);
	kfree(pp->full);
}

/* The directory of pp, looked up and checked to be one. */
int pabi_parent(struct pproc *p, const struct ppath *pp, struct pfile_handle *dir)
{
	struct pfile_attr a;
	int err = p->files.ops->lookup(p->files.be, pp->dir, dir, &a);

	if (!err && (a.mode & S_IFMT) != S_IFDIR)
		err = -ENOTDIR;
	return err;
}

int pabi_lookup(struct pproc *p, const char *abs, bool follow, struct pfile_handle *h,
		struct pfile_attr *a)
{
	const struct pfile_ops *ops = p->files.ops;

	if (!follow && ops->lookup_at)
		return ops->lookup_at(p->files.be, NULL, abs, PFILE_NOFOLLOW, h, a);
	return ops->lookup(p->files.be, abs, h, a);
}

/* The answer for a special last name (root, ".", ".."): each op's. */
static int special(const struct ppath *pp, int root, int dot, int dotdot)
{
	return pp->kind == PPATH_ROOT ? root : pp->kind == PPATH_DOT ? dot : dotdot;
}

static int mknod_in(struct pproc *p, const struct ppath *pp, u32 mode, u64 dev)
{
	const struct pfile_ops *ops = p->files.ops;
	struct pfile_handle dir, h;
	struct pfile_attr a;
	bool created;
	int err;

	if (pp->kind != PPATH_NAME)
		return -EEXIST;
	if (pp->slash && (mode & S_IFMT) != S_IFDIR)
		return -ENOENT;
	if (!ops->mkdir || !ops->create)
		return -EROFS;
	err = pabi_parent(p, pp, &dir);
	if (err)
		return err;
	if ((mode & S_IFMT) == S_IFDIR)
		return ops->mkdir(p->files.be, &dir, pp->name, mode & 07777, &h, &a);
	return ops->create(p->files.be, &dir, pp->name, mode, (u32)dev, PFILE_CREATE_EXCL, &h,
			   &a, &created);
}

int pabi_mknod(struct abi_thread *t, int dirfd, const char *path, u32 mode, u64 dev)
{
	struct pproc *p = pabi_proc(t);
	struct ppath pp;
	int err = pabi_split(p, dirfd, path, &pp);

	if (err)
		return err;
	err = mknod_in(p, &pp, mode, dev);
	pabi_split_free(&pp);
	return err;
}

/* unlink("x/") or rmdir("x/"): what Linux answers for what x is. */
static int unlink_in(struct pproc *p, const struct ppath *pp, bool dir)
{
	const struct pfile_ops *ops = p->files.ops;
	struct pfile_handle dh;
	int err;

	if (pp->kind != PPATH_NAME)
		return dir ? special(pp, -EBUSY, -EINVAL, -ENOTEMPTY) : -EISDIR;
	if (!ops->unlink)
		return -EROFS;
	err = pabi_parent(p, pp, &dh);
	if (!err && pp->slash && !dir) {
		struct pfile_handle h;
		struct pfile_attr a;

		err = pabi_lookup(p, pp->full, true, &h, &a);
		if (!err)
			err = (a.mode & S_IFMT) == S_IFDIR ? -EISDIR : -ENOTDIR;
	}
	return err ? err : ops->unlink(p->files.be, &dh, pp->name, dir ? PFILE_UNLINK_DIR : 0);
}

int pabi_unlink(struct abi_thread *t, int dirfd, const char *path, bool dir)
{
	struct pproc *p = pabi_proc(t);
	struct ppath pp;
	int err = pabi_split(p, dirfd, path, &pp);

	if (err)
		return err;
	err = unlink_in(p, &pp, dir);
	pabi_split_free(&pp);
	return err;
}

static int rename_in(struct pproc *p, const struct ppath *o, const struct ppath *n, u32 flags)
{
	const struct pfile_ops *ops = p->files.ops;
	struct pfile_handle od, nd;
	int err;

	if (o->kind != PPATH_NAME || n->kind != PPATH_NAME)
		return -EBUSY;
	if (!ops->rename)
		return -EROFS;
	err = pabi_parent(p, o, &od);
	if (!err)
		err = pabi_parent(p, n, &nd);
	if (!err && (o->slash || n->slash)) {
		struct pfile_handle h;
		struct pfile_attr a;

		err = pabi_lookup(p, o->full, false, &h, &a);
		if (!err && (a.mode & S_IFMT) != S_IFDIR)
			err = -ENOTDIR;
	}
	return err ? err : ops->rename(p->files.be, &od, o->name, &nd, n->name, flags);
}

_Static_assert(RENAME_NOREPLACE == PFILE_RENAME_NOREPLACE &&
	       RENAME_EXCHANGE == PFILE_RENAME_EXCHANGE, "rename flags carry over");

int pabi_rename(struct abi_thread *t, int odirfd, const char *opath, int ndirfd,
		const char *npath, u32 flags)
{
	struct pproc *p = pabi_proc(t);
	struct ppath o, n;
	int err = pabi_split(p, odirfd, opath, &o);

	if (err)
		return err;
	err = pabi_split(p, ndirfd, npath, &n);
	if (!err) {
		err = rename_in(p, &o, &n, flags);
		pabi_split_free(&n);
	}
	pabi_split_free(&o);
	return err;
}

/* The file an old name of link names: a path, or the open file odirfd. */
static int link_source(struct pproc *p, int odirfd, const char *opath, bool follow,
		       struct pfile_handle *h)
{
	struct pfile_attr a;
	struct pfd_file *f;
	char *abs;
	int err;

	if (opath) {
		err = pabi_abs_path(p, odirfd, opath, &abs);
		if (err)
			return err;
		err = pabi_lookup(p, abs, follow, h, &a);
		kfree(abs);
		return err;
	}
	f = pfd_get(&p->fds, odirfd);
	if (!f)
		return -EBADF;
	err = f->files.ops ? 0 : -EINVAL;
	*h = f->h;
	pfd_put(f);
	return err;
}

int pabi_link(struct abi_thread *t, int odirfd, const char *opath, int ndirfd,
	      const char *npath, bool follow)
{
	struct pproc *p = pabi_proc(t);
	struct pfile_handle h, dir;
	struct ppath n;
	int err = link_source(p, odirfd, opath, follow, &h);

	if (err)
		return err;
	err = pabi_split(p, ndirfd, npath, &n);
	if (err)
		return err;
	if (n.kind != PPATH_NAME || n.slash)
		err = n.kind != PPATH_NAME ? -EEXIST : -ENOENT;
	else if (!p->files.ops->link)
		err = -EROFS;
	else
		err = pabi_parent(p, &n, &dir);
	if (!err)
		err = p->files.ops->link(p->files.be, &h, &dir, n.name);
	pabi_split_free(&n);
	return err;
}

int pabi_symlink(struct abi_thread *t, const char *target, int dirfd, const char *path)
{
	struct pproc *p = pabi_proc(t);
	struct pfile_handle dir, h;
	struct pfile_attr a;
	struct ppath pp;
	int err = pabi_split(p, dirfd, path, &pp);

	if (err)
		return err;
	if (pp.kind != PPATH_NAME || pp.slash)
		err = pp.kind != PPATH_NAME ? -EEXIST : -ENOENT;
	else if (!p->files.ops->symlink)
		err = -EROFS;
	else
		err = pabi_parent(p, &pp, &dir);
	if (!err)
		err = p->files.ops->symlink(p->files.be, &dir, pp.name, target, &h, &a);
	pabi_split_free(&pp);
	return err;
}

/* readlink of a pseudo node: n must be a link. */
static long pabi_readlink_pseudo(struct pproc *p, const struct pnode *n, char *buf, u64 size)
{
	if ((n->mode & S_IFMT) != S_IFLNK)
		return -EINVAL;
	return n->ops->readlink(p, n, buf, size);
}

/* readlink through the backend. */
static long pabi_readlink_backend(struct pproc *p, const char *abs, char *buf, u64 size)
{
	struct pfile_handle h;
	struct pfile_attr a;
	long err = pabi_lookup(p, abs, false, &h, &a);

	if (!err && (a.mode & S_IFMT) != S_IFLNK)
		err = -EINVAL;
	if (!err)
		err = p->files.ops->readlink(p->files.be, &h, buf, (u32)MIN(size, 1ull << 20));
	return err;
}

long pabi_readlink(struct abi_thread *t, int dirfd, const char *path, char *buf, u64 size)
{
	struct pproc *p = pabi_proc(t);
	struct pnode n;
	char *abs, *res;
	long r;
	int err = pabi_abs_path(p, dirfd, path, &abs);

	if (err)
		return err;
	err = pseudo_walk(p, abs, false, &n, &res);
	if (!err)
		r = pabi_readlink_pseudo(p, &n, buf, size);
	else
		r = err == PSEUDO_OUTSIDE ? pabi_readlink_backend(p, res ? res : abs, buf, size)
					  : err;
	kfree(abs);
	kfree(res);
	return r;
}
