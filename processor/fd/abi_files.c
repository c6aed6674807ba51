/*
 * The file half of pabi_ops: paths resolved through the file backend,
 * descriptors from the process's table (fd.h). The file system is
 * read-only to processes for now: opening for writing, creating or
 * truncating gives -EROFS. The console stream (fds 0-2) writes to its
 * sink and reads as end of file.
 */
#include <tessera/errno.h>
#include <tessera/fmt.h>
#include <tessera/kmalloc.h>
#include <tessera/string.h>
#include <tessera/uapi/fcntl.h>

#include "linux-abi/abi_dirent.h"
#include "processor/proc/proc.h"

#define PABI_PATH_MAX 4096
#define PABI_DIRENT_BATCH 8

static struct pproc *pabi_proc(struct abi_thread *t)
{
	return t->proc->priv;
}

/* Absolute form of path (relative ones against dirfd) in a new buffer. */
static int pabi_abs_path(struct pproc *p, int dirfd, const char *path, char **out)
{
	struct pfd_file *dir = NULL;
	char *buf;
	int n = 0;

	if (path[0] != '/' && dirfd != AT_FDCWD) {
		dir = pfd_get(&p->fds, dirfd);
		if (!dir)
			return -EBADF;
		if (dir->kind != PFD_DIR) {
			pfd_put(dir);
			return -ENOTDIR;
		}
	}
	buf = kmalloc(PABI_PATH_MAX);
	if (buf)
		n = fmt_snprintf(buf, PABI_PATH_MAX, "%s%s%s", dir ? dir->path : "",
				 path[0] == '/' ? "" : "/", path);
	pfd_put(dir);
	if (n >= PABI_PATH_MAX) {
		kfree(buf);
		return -ENAMETOOLONG;
	}
	*out = buf;
	return buf ? 0 : -ENOMEM;
}

static bool pabi_writes(u32 flags)
{
	return (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC));
}

static bool pabi_is_dir(const struct pfile_attr *a)
{
	return (a->mode & S_IFMT) == S_IFDIR;
}

/* Look path up and make an open file for it. */
static int pabi_open_path(struct pproc *p, const char *path, u32 flags, struct pfd_file **out)
{
	struct pfile_handle h;
	struct pfile_attr attr;
	struct pfd_file *f;
	int err = p->files.ops->lookup(p->files.be, path, &h, &attr);

	if (err)
		return (err == -ENOENT && (flags & O_CREAT)) ? -EROFS : err;
	if (pabi_writes(flags))
		return pabi_is_dir(&attr) ? -EISDIR : -EROFS;
	if ((flags & O_DIRECTORY) && !pabi_is_dir(&attr))
		return -ENOTDIR;
	f = pfd_file_new(pabi_is_dir(&attr) ? PFD_DIR : PFD_FILE, path);
	if (!f)
		return -ENOMEM;
	f->flags = flags & ~(u32)O_CLOEXEC;
	f->h = h;
	f->attr = attr;
	*out = f;
	return 0;
}

int pabi_open(struct abi_thread *t, int dirfd, const char *path, u32 flags)
{
	struct pproc *p = pabi_proc(t);
	struct pfd_file *f;
	char *abs;
	int err = pabi_abs_path(p, dirfd, path, &abs);

	if (err)
		return err;
	err = pabi_open_path(p, abs, flags, &f);
	kfree(abs);
	if (err)
		return err;
	return pfd_install(&p->fds, f, 0, flags & O_CLOEXEC);
}

int pabi_close(struct abi_thread *t, int fd)
{
	return pfd_close(&pabi_proc(t)->fds, fd);
}

static s64 pabi_seek_to(struct pfd_file *f, s64 off, int whence)
{
	s64 base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (s64)f->pos : (s64)f->attr.size;

	if (f->kind == PFD_DIR)
		return (whence == SEEK_SET && off == 0) ? 0 : -EINVAL;
	if (base + off < 0)
		return -EINVAL;
	return base + off;
}

s64 pabi_lseek(struct abi_thread *t, int fd, s64 off, int whence)
{
	struct pfd_file *f = pfd_get(&pabi_proc(t)->fds, fd);
	s64 r;

	if (!f)
		return -EBADF;
	if (f->kind == PFD_STREAM) {
		pfd_put(f);
		return -ESPIPE;
	}
	mutex_lock(&f->lock);
	r = pabi_seek_to(f, off, whence);
	if (r >= 0) {
		f->pos = (u64)r;
		f->dir_eof = false;
	}
	mutex_unlock(&f->lock);
	pfd_put(f);
	return r;
}

static void pabi_fill_stat(struct stat *st, const struct pfile_attr *a)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = 1;
	st->st_ino = a->ino;
	st->st_nlink = a->nlink;
	st->st_mode = a->mode;
	st->st_uid = a->uid;
	st->st_gid = a->gid;
	st->st_size = (s64)a->size;
	st->st_blksize = a->blksize ? a->blksize : 4096;
	st->st_blocks = (s64)a->blocks;
	st->st_atime_sec = st->st_mtime_sec = st->st_ctime_sec = (u64)a->mtime;
}

int pabi_fstat(struct abi_thread *t, int fd, struct stat *st)
{
	struct pfd_file *f = pfd_get(&pabi_proc(t)->fds, fd);
	struct pfile_attr stream = { .mode = S_IFIFO | 0600, .nlink = 1, .blksize = 4096 };

	if (!f)
		return -EBADF;
	pabi_fill_stat(st, f->kind == PFD_STREAM ? &stream : &f->attr);
	pfd_put(f);
	return 0;
}

int pabi_stat(struct abi_thread *t, int dirfd, const char *path, bool follow, struct stat *st)
{
	struct pproc *p = pabi_proc(t);
	struct pfile_handle h;
	struct pfile_attr attr;
	char *abs;
	int err = pabi_abs_path(p, dirfd, path, &abs);

	if (err)
		return err;
	err = p->files.ops->lookup(p->files.be, abs, &h, &attr);
	kfree(abs);
	if (!err)
		pabi_fill_stat(st, &attr);
	return err;
}

/* Pack entries from f's cookie into buf; f->lock held. */
static long pabi_pack_dirents(struct pproc *p, struct pfd_file *f, u8 *buf, u64 len,
			      struct pfile_dirent *ents)
{
	u64 used = 0;

	while (!f->dir_eof) {
		int n = p->files.ops->readdir(p->files.be, &f->h, f->pos, ents,
						   PABI_DIRENT_BATCH);

		if (n < 0)
			return used ? (long)used : n;
		f->dir_eof = n == 0;
		for (int i = 0; i < n; i++) {
			struct abi_dirent64 *d = (struct abi_dirent64 *)(buf + used);
			u64 rec = ABI_DIRENT64_LEN(ents[i].name_len);

			if (used + rec > len)
				return used ? (long)used : -EINVAL;
			memset(d, 0, rec);
			d->d_ino = ents[i].ino;
			d->d_off = (s64)ents[i].next_cookie;
			d->d_reclen = (u16)rec;
			d->d_type = ents[i].type;
			memcpy(d->d_name, ents[i].name, ents[i].name_len);
			used += rec;
			f->pos = ents[i].next_cookie;
		}
	}
	return (long)used;
}

long pabi_getdents(struct abi_thread *t, int fd, void *buf, u64 len)
{
	struct pproc *p = pabi_proc(t);
	struct pfd_file *f = pfd_get(&p->fds, fd);
	struct pfile_dirent *ents;
	long r = -ENOTDIR;

	if (!f)
		return -EBADF;
	ents = kmalloc(PABI_DIRENT_BATCH * sizeof(*ents));
	if (!ents)
		r = -ENOMEM;
	else if (f->kind == PFD_DIR) {
		mutex_lock(&f->lock);
		r = pabi_pack_dirents(p, f, buf, len, ents);
		mutex_unlock(&f->lock);
	}
	kfree(ents);
	pfd_put(f);
	return r;
}

long pabi_fd_read(struct abi_thread *t, int fd, void *buf, u64 len)
{
	struct pproc *p = pabi_proc(t);
	struct pfd_file *f = pfd_get(&p->fds, fd);
	long r = 0;

	if (!f)
		return -EBADF;
	if (f->kind == PFD_DIR)
		r = -EISDIR;
	if (f->kind == PFD_FILE) {
		mutex_lock(&f->lock);
		r = p->files.ops->read(p->files.be, &f->h, f->pos, buf, (u32)len);
		if (r > 0)
			f->pos += r;
		mutex_unlock(&f->lock);
	}
	pfd_put(f);
	return r;
}

long pabi_fd_write(struct abi_thread *t, int fd, const void *buf, u64 len)
{
	struct pfd_file *f = pfd_get(&pabi_proc(t)->fds, fd);
	long r = -EBADF;

	if (!f)
		return r;
	if (f->kind == PFD_STREAM) {
		f->sink->write(f->sink->ctx, buf, len);
		r = (long)len;
	}
	pfd_put(f);
	return r;
}

int pabi_fd_is_tty(struct abi_thread *t, int fd)
{
	struct pfd_file *f = pfd_get(&pabi_proc(t)->fds, fd);

	if (!f)
		return -EBADF;
	pfd_put(f);
	return 0;
}
