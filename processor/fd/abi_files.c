/*
 * The file half of pabi_ops: paths resolved through the file backend,
 * descriptors from the process's table, every descriptor call through
 * its open file's kind (fd.h). open creates (O_CREAT, O_EXCL) and
 * truncates (O_TRUNC) through the backend; the calls that change names
 * and attributes are in path_ops.c and attr_ops.c.
 */
#include <tessera/errno.h>
#include <tessera/fmt.h>
#include <tessera/kmalloc.h>
#include <tessera/string.h>
#include <tessera/uapi/fcntl.h>

#include "processor/fd/pseudo.h"
#include "processor/proc/proc.h"

#define PABI_PATH_MAX 4096

static struct pproc *pabi_proc(struct abi_thread *t)
{
	return t->proc->priv;
}

int pabi_abs_path(struct pproc *p, int dirfd, const char *path, char **out)
{
	struct pfd_file *dir = NULL;
	u64 len = 0;
	char *buf;
	int n = 0;

	if (path[0] != '/' && dirfd != AT_FDCWD) {
		dir = pfd_get(&p->fds, dirfd);
		if (!dir)
			return -EBADF;
		if (!pfd_is_dir(dir)) {
			pfd_put(dir);
			return -ENOTDIR;
		}
	}
	buf = kmalloc(PABI_PATH_MAX);
	if (buf && path[0] != '/' && !dir)
		len = pcwd_get(&p->cwd, buf, PABI_PATH_MAX);
	if (buf && len < PABI_PATH_MAX)
		n = fmt_snprintf(buf + len, PABI_PATH_MAX - len, "%s%s%s", dir ? dir->path : "",
				 path[0] == '/' || (len == 1 && !dir) ? "" : "/", path);
	pfd_put(dir);
	if (len + n >= PABI_PATH_MAX) {
		kfree(buf);
		return -ENAMETOOLONG;
	}
	*out = buf;
	return buf ? 0 : -ENOMEM;
}

static bool pabi_writes(u32 flags)
{
	return (flags & O_ACCMODE) != O_RDONLY;
}

static bool pabi_attr_is_dir(const struct pfile_attr *a)
{
	return (a->mode & S_IFMT) == S_IFDIR;
}

/* Create the last name of pp (O_CREAT): the new or existing file. */
static int pabi_create(struct pproc *p, const struct ppath *pp, u32 flags, u32 mode,
		       struct pfile_handle *h, struct pfile_attr *attr)
{
	const struct pfile_ops *ops = p->files.ops;
	u32 cflags = (flags & O_EXCL ? PFILE_CREATE_EXCL : 0) |
		     (flags & O_TRUNC ? PFILE_CREATE_TRUNC : 0);
	struct pfile_handle dir;
	bool created;
	int err;

	if (pp->kind != PPATH_NAME || pp->slash)
		return pp->kind != PPATH_NAME && (flags & O_EXCL) ? -EEXIST : -EISDIR;
	if (!ops->create)
		return -EROFS;
	err = pabi_parent(p, pp, &dir);
	if (!err)
		err = ops->create(p->files.be, &dir, pp->name, S_IFREG | mode, 0, cflags, h,
				  attr, &created);
	if (!err && (attr->mode & S_IFMT) == S_IFLNK && !(flags & O_EXCL))
		err = pabi_lookup(p, pp->full, !(flags & O_NOFOLLOW), h, attr);
	return err;
}

/* An existing file opened with O_TRUNC is emptied. */
static int pabi_truncate_open(struct pproc *p, const struct pfile_handle *h,
			      struct pfile_attr *attr)
{
	struct pfile_setattr sa = { .valid = PFILE_SET_SIZE };

	if ((attr->mode & S_IFMT) != S_IFREG || !attr->size)
		return 0;
	if (!p->files.ops->setattr)
		return -EROFS;
	return p->files.ops->setattr(p->files.be, h, &sa, attr);
}

/* The file path names for open: looked up, or created with O_CREAT. */
static int pabi_open_find(struct pproc *p, const struct ppath *pp, u32 flags, u32 mode,
			  struct pfile_handle *h, struct pfile_attr *attr)
{
	bool follow = !(flags & O_NOFOLLOW);
	int err;

	if (flags & O_CREAT) {
		err = pabi_lookup(p, pp->full, follow, h, attr);
		if (!err && (flags & O_EXCL))
			return -EEXIST;
		if (!err && pabi_attr_is_dir(attr))
			return -EISDIR;
		if (err == -ENOENT)
			return pabi_create(p, pp, flags, mode, h, attr);
	} else {
		err = pabi_lookup(p, pp->full, follow, h, attr);
		if (!err && pp->slash && !pabi_attr_is_dir(attr))
			err = -ENOTDIR;
	}
	if (!err && (flags & O_TRUNC) && pabi_writes(flags))
		err = pabi_truncate_open(p, h, attr);
	return err;
}

/* Look path up (or create it) and make an open file for it. */
static int pabi_open_path(struct pproc *p, const struct ppath *pp, u32 flags, u32 mode,
			  struct pfd_file **out)
{
	struct pfile_handle h;
	struct pfile_attr attr;
	int err = pabi_open_find(p, pp, flags, mode, &h, &attr);

	if (err)
		return err;
	if ((attr.mode & S_IFMT) == S_IFLNK)
		return -ELOOP;
	if (pabi_writes(flags) && pabi_attr_is_dir(&attr))
		return -EISDIR;
	if (pabi_writes(flags) && !p->files.ops->write)
		return -EROFS;
	if ((flags & O_DIRECTORY) && !pabi_attr_is_dir(&attr))
		return -ENOTDIR;
	*out = pfd_backend_open(&p->files, pp->full, &h, &attr, flags);
	return *out ? 0 : -ENOMEM;
}

/* open through the file backend: path from dirfd. */
static int pabi_open_backend(struct pproc *p, int dirfd, const char *path, u32 flags, u32 mode)
{
	struct pfd_file *f;
	struct ppath pp;
	int err = pabi_split(p, dirfd, path, &pp);

	if (err)
		return err;
	err = pabi_open_path(p, &pp, flags, mode, &f);
	pabi_split_free(&pp);
	if (err)
		return err;
	return pfd_install(&p->fds, f, 0, flags & O_CLOEXEC);
}

int pabi_open(struct abi_thread *t, int dirfd, const char *path, u32 flags, u32 mode)
{
	struct pproc *p = pabi_proc(t);
	struct pfd_file *f;
	struct pnode n;
	char *abs, *res;
	int err = pabi_abs_path(p, dirfd, path, &abs);

	if (err)
		return err;
	err = pseudo_walk(p, abs, !(flags & O_NOFOLLOW), &n, &res);
	kfree(abs);
	if (err == PSEUDO_OUTSIDE) {
		err = pabi_open_backend(p, res ? AT_FDCWD : dirfd, res ? res : path, flags, mode);
		kfree(res);
		return err;
	}
	if (!err)
		err = pseudo_open_node(p, &n, flags, res, &f);
	kfree(res);
	return err ? err : pfd_install(&p->fds, f, 0, flags & O_CLOEXEC);
}

int pabi_close(struct abi_thread *t, int fd)
{
	return pfd_close(&pabi_proc(t)->fds, fd);
}

s64 pabi_lseek(struct abi_thread *t, int fd, s64 off, int whence)
{
	struct pfd_file *f = pfd_get(&pabi_proc(t)->fds, fd);
	s64 r;

	if (!f)
		return -EBADF;
	r = pfd_lseek(f, off, whence);
	pfd_put(f);
	return r;
}

int pabi_fstat(struct abi_thread *t, int fd, struct stat *st)
{
	struct pfd_file *f = pfd_get(&pabi_proc(t)->fds, fd);
	int r;

	if (!f)
		return -EBADF;
	r = f->ops->stat(f, st);
	pfd_put(f);
	return r;
}

int pabi_stat(struct abi_thread *t, int dirfd, const char *path, bool follow, struct stat *st)
{
	struct pproc *p = pabi_proc(t);
	struct pfile_handle h;
	struct pfile_attr attr;
	struct pnode n;
	char *abs, *res;
	int err = pabi_abs_path(p, dirfd, path, &abs);

	if (err)
		return err;
	err = pseudo_walk(p, abs, follow, &n, &res);
	if (!err) {
		err = pseudo_stat_node(p, &n, st);
	} else if (err == PSEUDO_OUTSIDE) {
		err = pabi_lookup(p, res ? res : abs, follow, &h, &attr);
		if (!err)
			pfd_fill_stat(st, &attr);
	}
	kfree(res);
	kfree(abs);
	return err;
}

long pabi_getdents(struct abi_thread *t, int fd, void *buf, u64 len)
{
	struct pfd_file *f = pfd_get(&pabi_proc(t)->fds, fd);
	long r;

	if (!f)
		return -EBADF;
	r = pfd_getdents(f, buf, len);
	pfd_put(f);
	return r;
}

long pabi_fd_read(struct abi_thread *t, int fd, void *buf, u64 len)
{
	struct pfd_file *f = pfd_get(&pabi_proc(t)->fds, fd);
	long r;

	if (!f)
		return -EBADF;
	r = pfd_read(f, buf, len);
	pfd_put(f);
	return r;
}

long pabi_fd_write(struct abi_thread *t, int fd, const void *buf, u64 len)
{
	struct pfd_file *f = pfd_get(&pabi_proc(t)->fds, fd);
	long r;

	if (!f)
		return -EBADF;
	r = pfd_write(f, buf, len);
	pfd_put(f);
	return r;
}

int pabi_fd_is_tty(struct abi_thread *t, int fd)
{
	struct pfd_file *f = pfd_get(&pabi_proc(t)->fds, fd);
	int r;

	if (!f)
		return -EBADF;
	r = f->ops->tty;
	pfd_put(f);
	return r;
}

int pabi_pipe(struct abi_thread *t, u32 flags, int fds[2])
{
	struct pproc *p = pabi_proc(t);
	struct pfd_file *rd, *wr;
	bool cloexec = flags & O_CLOEXEC;
	int err = pfd_pipe_new(flags, &rd, &wr);

	if (err)
		return err;
	fds[0] = pfd_install(&p->fds, rd, 0, cloexec);
	if (fds[0] < 0) {
		pfd_put(wr);
		return fds[0];
	}
	fds[1] = pfd_install(&p->fds, wr, 0, cloexec);
	if (fds[1] < 0) {
		pfd_close(&p->fds, fds[0]);
		return fds[1];
	}
	return 0;
}

int pabi_poll(struct abi_thread *t, struct pollfd *fds, u32 n, u64 deadline)
{
	struct pproc *p = pabi_proc(t);
	struct pfd_file **files = kmalloc((u64)MAX(n, 1u) * sizeof(*files));
	int r;

	if (!files)
		return -ENOMEM;
	for (u32 i = 0; i < n; i++) {
		files[i] = fds[i].fd < 0 ? NULL : pfd_get(&p->fds, fds[i].fd);
		if (fds[i].fd >= 0 && !files[i])
			files[i] = PFD_POLL_BADF;
	}
	r = pfd_poll_files(files, fds, n, deadline);
	for (u32 i = 0; i < n; i++)
		if (files[i] != PFD_POLL_BADF)
			pfd_put(files[i]);
	kfree(files);
	return r;
}
