/*
 * The pabi_ops that change attributes or make files durable, by path or
 * by open file: setattr (chmod, chown, utimens, truncate), fsync (and
 * sync), statfs, and positioned reads and writes. An open file that is
 * not one of the file backend's (a pipe, the console) answers -EINVAL,
 * as Linux's pipes and terminals do for these.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/string.h>
#include <tessera/uapi/fcntl.h>
#include <tessera/uapi/stat.h>
#include <tessera/uapi/statfs.h>

#include "processor/fd/pseudo.h"
#include "processor/proc/proc.h"

static struct pproc *pabi_proc(struct abi_thread *t)
{
	return t->proc->priv;
}

/* The open file fd if it is a backend file, referenced (put it). */
static int backend_fd(struct pproc *p, int fd, struct pfd_file **out)
{
	struct pfd_file *f = pfd_get(&p->fds, fd);

	if (!f)
		return -EBADF;
	if (!f->files.ops) {
		pfd_put(f);
		return -EINVAL;
	}
	*out = f;
	return 0;
}

static int setattr_fd(struct pproc *p, int fd, const struct pfile_setattr *sa)
{
	struct pfd_file *f;
	int err = backend_fd(p, fd, &f);

	if (err)
		return err;
	if ((sa->valid & PFILE_SET_SIZE) && (pfd_get_flags(f) & O_ACCMODE) == O_RDONLY)
		err = -EINVAL;
	else if (!f->files.ops->setattr)
		err = -EROFS;
	else
		err = pfd_backend_setattr(f, sa);
	pfd_put(f);
	return err;
}

int pabi_setattr(struct abi_thread *t, int dirfd, const char *path, bool follow,
		 const struct abi_setattr *sa)
{
	struct pproc *p = pabi_proc(t);
	struct pfile_setattr psa = { .valid = sa->valid, .mode = sa->mode, .uid = sa->uid,
				     .gid = sa->gid, .size = sa->size,
				     .atime_ns = sa->atime_ns, .mtime_ns = sa->mtime_ns };
	struct pfile_handle h;
	struct pfile_attr a;
	char *abs;
	int err;

	if (!path)
		return setattr_fd(p, dirfd, &psa);
	err = pabi_abs_path(p, dirfd, path, &abs);
	if (err)
		return err;
	err = pabi_lookup(p, abs, follow, &h, &a);
	kfree(abs);
	if (!err && (sa->valid & ABI_SET_SIZE) && (a.mode & S_IFMT) == S_IFDIR)
		err = -EISDIR;
	else if (!err && !p->files.ops->setattr)
		err = -EROFS;
	if (!err)
		err = p->files.ops->setattr(p->files.be, &h, &psa, NULL);
	return err;
}

int pabi_fsync(struct abi_thread *t, int fd, bool datasync)
{
	struct pproc *p = pabi_proc(t);
	struct pfd_file *f;
	int err;

	if (fd < 0)
		return p->files.ops->commit ? p->files.ops->commit(p->files.be,
								   PFILE_COMMIT_SETTLE) : 0;
	err = backend_fd(p, fd, &f);
	if (err)
		return err;
	err = f->files.ops->commit ? f->files.ops->commit(f->files.be, 0) : 0;
	pfd_put(f);
	return err;
}

static void fill_statfs(struct statfs *st, const struct pfile_statfs *s)
{
	*st = (struct statfs){
		.f_type = s->magic, .f_bsize = s->bsize, .f_blocks = s->blocks,
		.f_bfree = s->bfree, .f_bavail = s->bavail, .f_files = s->files,
		.f_ffree = s->ffree, .f_fsid = { (s32)s->fsid, (s32)(s->fsid >> 32) },
		.f_namelen = s->name_max, .f_frsize = s->bsize, .f_flags = ST_VALID,
	};
}

static int statfs_of(const struct pfile_backend *fb, const struct pfile_handle *h,
		     struct statfs *st)
{
	struct pfile_statfs s;
	int err;

	if (!fb->ops->statfs)
		return -ENOSYS;
	err = fb->ops->statfs(fb->be, h, &s);
	if (!err)
		fill_statfs(st, &s);
	return err;
}

int pabi_statfs(struct abi_thread *t, int dirfd, const char *path, struct statfs *st)
{
	struct pproc *p = pabi_proc(t);
	struct pfile_handle h;
	struct pfile_attr a;
	struct pfd_file *f;
	char *abs;
	int err;

	if (!path) {
		f = pfd_get(&p->fds, dirfd);
		err = f && !f->files.ops ? pseudo_statfs(f->path, st) : PSEUDO_OUTSIDE;
		pfd_put(f);
		if (err != PSEUDO_OUTSIDE)
			return err;
		err = backend_fd(p, dirfd, &f);
		if (err)
			return err;
		err = statfs_of(&f->files, &f->h, st);
		pfd_put(f);
		return err;
	}
	err = pabi_abs_path(p, dirfd, path, &abs);
	if (!err && pseudo_statfs(abs, st) == 0) {
		kfree(abs);
		return 0;
	}
	if (!err) {
		err = pabi_lookup(p, abs, true, &h, &a);
		kfree(abs);
	}
	return err ? err : statfs_of(&p->files, &h, st);
}

long pabi_fd_pread(struct abi_thread *t, int fd, void *buf, u64 len, u64 off)
{
	struct pfd_file *f = pfd_get(&pabi_proc(t)->fds, fd);
	long r;

	if (!f)
		return -EBADF;
	r = pfd_pread(f, buf, len, off);
	pfd_put(f);
	return r;
}

long pabi_fd_pwrite(struct abi_thread *t, int fd, const void *buf, u64 len, u64 off)
{
	struct pfd_file *f = pfd_get(&pabi_proc(t)->fds, fd);
	long r;

	if (!f)
		return -EBADF;
	r = pfd_pwrite(f, buf, len, off);
	pfd_put(f);
	return r;
}
