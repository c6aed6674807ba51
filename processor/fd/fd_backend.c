/*
 * Files and directories of the file backend (fd.h). A regular file reads,
 * writes and seeks through its handle at the shared position (O_APPEND
 * writes go to the end, wherever the backend says it is); a directory
 * lists its entries from the readdir cookie kept in pos. fstat asks the
 * backend afresh (the attributes seen at open if it cannot answer).
 *
 * Locking: f->lock guards pos, dir_eof and attr (the last attributes seen).
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/string.h>
#include <tessera/uapi/fcntl.h>

#include "linux-abi/abi_dirent.h"
#include "processor/fd/fd.h"
#include "processor/fd/pseudo.h"

#define PFD_DIRENT_BATCH 8

void pfd_fill_stat(struct stat *st, const struct pfile_attr *a)
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
	st->st_rdev = a->rdev;
	st->st_atime_sec = (u64)a->atime;
	st->st_atime_nsec = a->atime_ns;
	st->st_mtime_sec = (u64)a->mtime;
	st->st_mtime_nsec = a->mtime_ns;
	st->st_ctime_sec = (u64)a->ctime;
	st->st_ctime_nsec = a->ctime_ns;
}

/* Remember the attributes the backend last gave for f. */
static void pfd_saw(struct pfd_file *f, const struct pfile_attr *a)
{
	mutex_lock(&f->lock);
	f->attr = *a;
	mutex_unlock(&f->lock);
}

static int pfd_backend_stat(struct pfd_file *f, struct stat *st)
{
	struct pfile_attr a;

	if (!f->files.ops->getattr(f->files.be, &f->h, &a))
		pfd_saw(f, &a);
	mutex_lock(&f->lock);
	pfd_fill_stat(st, &f->attr);
	mutex_unlock(&f->lock);
	return 0;
}

int pfd_backend_setattr(struct pfd_file *f, const struct pfile_setattr *sa)
{
	struct pfile_attr a;
	int err = f->files.ops->setattr(f->files.be, &f->h, sa, &a);

	if (!err)
		pfd_saw(f, &a);
	return err;
}

static long pfd_file_pread(struct pfd_file *f, void *buf, u64 len, u64 off)
{
	return f->files.ops->read(f->files.be, &f->h, off, buf, (u32)MIN(len, 1ull << 30));
}

static long pfd_file_read(struct pfd_file *f, void *buf, u64 len)
{
	long r;

	mutex_lock(&f->lock);
	r = pfd_file_pread(f, buf, len, f->pos);
	if (r > 0)
		f->pos += r;
	mutex_unlock(&f->lock);
	return r;
}

/* A write of len bytes at off (the end with append); f->lock held when
 * the caller moves the position. */
static long pfd_file_put(struct pfd_file *f, const void *buf, u64 len, u64 off, bool append)
{
	const struct pfile_ops *ops = f->files.ops;
	struct pfile_attr a;
	long r;

	if (!ops->write)
		return -EROFS;
	r = ops->write(f->files.be, &f->h, off, buf, (u32)MIN(len, 1ull << 30),
		       append ? PFILE_WRITE_APPEND : 0, &a);
	if (r > 0)
		f->attr = a;
	return r;
}

static long pfd_file_pwrite(struct pfd_file *f, const void *buf, u64 len, u64 off)
{
	bool append = pfd_get_flags(f) & O_APPEND;
	long r;

	mutex_lock(&f->lock);
	r = pfd_file_put(f, buf, len, off, append);
	mutex_unlock(&f->lock);
	return r;
}

static long pfd_file_write(struct pfd_file *f, const void *buf, u64 len)
{
	bool append = pfd_get_flags(f) & O_APPEND;
	long r;

	mutex_lock(&f->lock);
	r = pfd_file_put(f, buf, len, f->pos, append);
	if (r > 0)
		f->pos = append ? f->attr.size : f->pos + (u64)r;
	mutex_unlock(&f->lock);
	return r;
}

static s64 pfd_file_lseek(struct pfd_file *f, s64 off, int whence)
{
	struct pfile_attr a;
	s64 base, to;

	if (whence == SEEK_END && !f->files.ops->getattr(f->files.be, &f->h, &a))
		pfd_saw(f, &a);
	mutex_lock(&f->lock);
	base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (s64)f->pos : (s64)f->attr.size;
	if (__builtin_add_overflow(base, off, &to))
		to = -EOVERFLOW;
	else if (to < 0)
		to = -EINVAL;
	else
		f->pos = (u64)to;
	mutex_unlock(&f->lock);
	return to;
}

static int pfd_file_mmap(struct pfd_file *f, struct pfile_handle *h, u64 *size)
{
	*h = f->h;
	*size = f->attr.size;
	return 0;
}

static long pfd_dir_read(struct pfd_file *f, void *buf, u64 len)
{
	return -EISDIR;
}

static long pfd_dir_read_at(struct pfd_file *f, void *buf, u64 len, u64 off)
{
	return -EISDIR;
}

/* Only a rewind is allowed: the cookie is the backend's, not an offset. */
static s64 pfd_dir_lseek(struct pfd_file *f, s64 off, int whence)
{
	if (whence != SEEK_SET || off != 0)
		return -EINVAL;
	mutex_lock(&f->lock);
	f->pos = 0;
	f->dir_eof = false;
	mutex_unlock(&f->lock);
	return 0;
}

/* Pack entries from f's cookie into buf; f->lock held. */
bool pfd_dirent_pack(u8 *buf, u64 len, u64 *used, const struct pfile_dirent *e)
{
	struct abi_dirent64 *d = (struct abi_dirent64 *)(buf + *used);
	u64 rec = ABI_DIRENT64_LEN(e->name_len);

	if (*used + rec > len)
		return false;
	memset(d, 0, rec);
	d->d_ino = e->ino;
	d->d_off = (s64)e->next_cookie;
	d->d_reclen = (u16)rec;
	d->d_type = e->type;
	memcpy(d->d_name, e->name, e->name_len);
	*used += rec;
	return true;
}

static long pfd_pack_dirents(struct pfd_file *f, u8 *buf, u64 len, struct pfile_dirent *ents)
{
	u64 used = 0;

	while (!f->dir_eof) {
		int n = f->files.ops->readdir(f->files.be, &f->h, f->pos, ents, PFD_DIRENT_BATCH);

		if (n < 0)
			return used ? (long)used : n;
		f->dir_eof = n == 0;
		for (int i = 0; i < n; i++) {
			if (!pfd_dirent_pack(buf, len, &used, &ents[i]))
				return used ? (long)used : -EINVAL;
			f->pos = ents[i].next_cookie;
		}
	}
	return (long)used;
}

static long pfd_dir_getdents(struct pfd_file *f, void *buf, u64 len)
{
	struct pfile_dirent *ents = kmalloc(PFD_DIRENT_BATCH * sizeof(*ents));
	long r;

	if (!ents)
		return -ENOMEM;
	mutex_lock(&f->lock);
	r = pfd_pack_dirents(f, buf, len, ents);
	mutex_unlock(&f->lock);
	kfree(ents);
	return r;
}

static const struct pfd_ops pfd_file_ops = {
	.kind = "file",
	.read = pfd_file_read,
	.write = pfd_file_write,
	.pread = pfd_file_pread,
	.pwrite = pfd_file_pwrite,
	.lseek = pfd_file_lseek,
	.stat = pfd_backend_stat,
	.mmap_file = pfd_file_mmap,
};

static const struct pfd_ops pfd_dir_ops = {
	.kind = "dir",
	.read = pfd_dir_read,
	.pread = pfd_dir_read_at,
	.lseek = pfd_dir_lseek,
	.stat = pfd_backend_stat,
	.getdents = pfd_dir_getdents,
};

bool pfd_is_dir(const struct pfd_file *f)
{
	return f->ops == &pfd_dir_ops || pseudo_is_dir(f);
}

struct pfd_file *pfd_backend_open(const struct pfile_backend *fb, const char *path,
				  const struct pfile_handle *h, const struct pfile_attr *attr,
				  u32 flags)
{
	bool dir = (attr->mode & S_IFMT) == S_IFDIR;
	struct pfd_file *f = pfd_file_new(dir ? &pfd_dir_ops : &pfd_file_ops, flags, path);

	if (!f)
		return NULL;
	f->files = *fb;
	f->h = *h;
	f->attr = *attr;
	return f;
}
