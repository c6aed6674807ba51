/*
 * The pseudo trees' kinds of open file (pseudo.h): text files (a snapshot
 * of the text made at open, read and seeked like a regular file) and
 * directories (getdents over the node's entry op), and the stat of any
 * node.
 *
 * Locking: a text file's pos is guarded by its f->lock, the text itself
 * is read-only once made; a directory's listing and pos by its f->lock.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/string.h>
#include <tessera/time.h>
#include <tessera/uapi/fcntl.h>

#include "processor/fd/pseudo.h"
#include "processor/proc/proc.h"

/* Stat of a node. */

int pseudo_stat_node(struct pproc *p, const struct pnode *n, struct stat *st)
{
	u64 now = walltime_ns();
	struct pfile_attr a = { .ino = n->ino, .mode = n->mode, .rdev = n->rdev,
				.nlink = (n->mode & S_IFMT) == S_IFDIR ? 2 : 1, .blksize = 1024,
				.atime = (s64)(now / NSEC_PER_SEC), .mtime = (s64)(now / NSEC_PER_SEC),
				.ctime = (s64)(now / NSEC_PER_SEC) };
	struct pfd_file *f;
	int err;

	if ((n->mode & S_IFMT) == S_IFLNK && n->magic) {
		err = n->ops->open(p, n, O_RDONLY, "", &f);
		if (err)
			return err;
		err = f->ops->stat(f, st);
		pfd_put(f);
		return err;
	}
	pfd_fill_stat(st, &a);
	st->st_dev = n->dev;
	return 0;
}

/* Text files. */

struct pseudo_text {
	struct pnode n;
	u64 len;
	char *data;
};

static struct pseudo_text *pseudo_text_of(struct pfd_file *f)
{
	return f->priv;
}

static long pseudo_text_pread(struct pfd_file *f, void *buf, u64 len, u64 off)
{
	struct pseudo_text *tx = pseudo_text_of(f);
	u64 n = off >= tx->len ? 0 : MIN(len, tx->len - off);

	memcpy(buf, tx->data + off, n);
	return (long)n;
}

static long pseudo_text_read(struct pfd_file *f, void *buf, u64 len)
{
	long r;

	mutex_lock(&f->lock);
	r = pseudo_text_pread(f, buf, len, f->pos);
	f->pos += (u64)r;
	mutex_unlock(&f->lock);
	return r;
}

/* Seeking is within what is there or past it; never before 0. */
static s64 pseudo_text_lseek(struct pfd_file *f, s64 off, int whence)
{
	s64 base, r;

	mutex_lock(&f->lock);
	base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (s64)f->pos
							 : (s64)pseudo_text_of(f)->len;
	r = whence > SEEK_END ? -EINVAL : base + off < 0 ? -EINVAL : base + off;
	if (r >= 0)
		f->pos = (u64)r;
	mutex_unlock(&f->lock);
	return r;
}

static int pseudo_text_stat(struct pfd_file *f, struct stat *st)
{
	return pseudo_stat_node(NULL, &pseudo_text_of(f)->n, st);
}

static void pseudo_text_release(struct pfd_file *f)
{
	struct pseudo_text *tx = pseudo_text_of(f);

	kfree(tx->data);
	kfree(tx);
}

static const struct pfd_ops pseudo_text_ops = {
	.kind = "pseudo-text",
	.read = pseudo_text_read,
	.pread = pseudo_text_pread,
	.lseek = pseudo_text_lseek,
	.stat = pseudo_text_stat,
	.release = pseudo_text_release,
};

int pseudo_text_file(const struct pnode *n, u32 flags, const char *path, struct pbuf *text,
		     struct pfd_file **out)
{
	struct pseudo_text *tx = text->oom ? NULL : kzalloc(sizeof(*tx));

	if (tx)
		*out = pfd_file_new(&pseudo_text_ops, flags & ~(u32)O_CLOEXEC, path);
	if (!tx || !*out) {
		kfree(tx);
		kfree(text->data);
		return -ENOMEM;
	}
	tx->n = *n;
	tx->len = text->len;
	tx->data = text->data;
	(*out)->priv = tx;
	return 0;
}

/* Directories as open files: the listing is taken by the first getdents
 * after open or a seek to 0, in the process that calls it (alive then,
 * and its own descriptor for the listing is open, as Linux lists it);
 * pos counts the entries given, "." and ".." first. [f->lock] guards
 * count, ents and pos. */
struct pseudo_ent {
	u64 ino;
	u8 type;                    /* DT_* */
	char name[PSEUDO_NAME_MAX];
};

struct pseudo_dir {
	struct pnode n;
	bool listed;
	u32 count;
	struct pseudo_ent *ents;    /* [count] */
};

static struct pseudo_dir *pseudo_dir_of(struct pfd_file *f)
{
	return f->priv;
}

/* Take n's listing into d: 0 or -ENOMEM. */
static int pseudo_dir_list(struct pproc *p, const struct pnode *n, struct pseudo_dir *d)
{
	char name[PFILE_NAME_MAX + 1];
	struct pbuf b = { 0 };
	struct pnode c;

	for (u32 i = 0; !n->ops->entry(p, n, i, &c, name); i++) {
		struct pseudo_ent e = { .ino = c.ino, .type = (u8)((c.mode & S_IFMT) >> 12) };

		str_copy(e.name, name, sizeof(e.name));
		pbuf_put(&b, &e, sizeof(e));
		d->count++;
	}
	d->ents = (struct pseudo_ent *)b.data;
	d->listed = !b.oom;
	return b.oom ? -ENOMEM : 0;
}

/* The entry at pos: 0, or -ENOENT past the last. */
static int pseudo_dir_entry(struct pseudo_dir *d, u64 pos, struct pfile_dirent *e)
{
	const struct pseudo_ent *pe = &d->ents[pos < 2 ? 0 : pos - 2];

	if (pos >= 2 && pos - 2 >= d->count)
		return -ENOENT;
	*e = (struct pfile_dirent){ .ino = pos < 2 ? d->n.ino : pe->ino,
				    .type = pos < 2 ? S_IFDIR >> 12 : pe->type,
				    .next_cookie = pos + 1 };
	str_copy(e->name, pos == 0 ? "." : pos == 1 ? ".." : pe->name, sizeof(e->name));
	e->name_len = (u8)strlen(e->name);
	return 0;
}

static long pseudo_dir_getdents(struct pfd_file *f, void *buf, u64 len)
{
	struct pseudo_dir *d = pseudo_dir_of(f);
	struct pthread *th = pthread_current();
	struct pfile_dirent e;
	bool end = false;
	u64 used = 0;
	int err = 0;

	mutex_lock(&f->lock);
	if (!d->listed)
		err = th ? pseudo_dir_list(th->proc, &d->n, d) : -EINVAL;
	for (; !err;) {
		end = pseudo_dir_entry(d, f->pos, &e) != 0;
		if (end || !pfd_dirent_pack(buf, len, &used, &e))
			break;
		f->pos++;
	}
	mutex_unlock(&f->lock);
	return err ? err : used || end ? (long)used : -EINVAL;
}

/* Only to a place the listing has given (or 0, which lists afresh). */
static s64 pseudo_dir_lseek(struct pfd_file *f, s64 off, int whence)
{
	struct pseudo_dir *d = pseudo_dir_of(f);

	if (whence != SEEK_SET || off < 0)
		return whence == SEEK_CUR && off == 0 ? (s64)f->pos : -EINVAL;
	mutex_lock(&f->lock);
	f->pos = (u64)off;
	if (!off) {
		kfree(d->ents);
		d->ents = NULL;
		d->count = 0;
		d->listed = false;
	}
	mutex_unlock(&f->lock);
	return off;
}

static int pseudo_dir_stat(struct pfd_file *f, struct stat *st)
{
	return pseudo_stat_node(NULL, &pseudo_dir_of(f)->n, st);
}

static void pseudo_dir_release(struct pfd_file *f)
{
	kfree(pseudo_dir_of(f)->ents);
	kfree(f->priv);
}

static const struct pfd_ops pseudo_dir_ops = {
	.kind = "pseudo-dir",
	.getdents = pseudo_dir_getdents,
	.lseek = pseudo_dir_lseek,
	.stat = pseudo_dir_stat,
	.release = pseudo_dir_release,
};

bool pseudo_is_dir(const struct pfd_file *f)
{
	return f->ops == &pseudo_dir_ops;
}

static int pseudo_dir_open(struct pproc *p, const struct pnode *n, u32 flags,
			   const char *path, struct pfd_file **out)
{
	struct pseudo_dir *d = kzalloc(sizeof(*d));

	if (d)
		*out = pfd_file_new(&pseudo_dir_ops, flags & ~(u32)O_CLOEXEC, path);
	if (!d || !*out) {
		kfree(d);
		return -ENOMEM;
	}
	d->n = *n;
	(*out)->priv = d;
	return 0;
}

static bool pseudo_writes(u32 flags)
{
	return (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
}

int pseudo_open_node(struct pproc *p, const struct pnode *n, u32 flags, const char *path,
		     struct pfd_file **out)
{
	u32 type = n->mode & S_IFMT;
	struct pbuf text = { 0 };
	int err;

	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	if (type == S_IFDIR)
		return pseudo_writes(flags) ? -EISDIR : pseudo_dir_open(p, n, flags, path, out);
	if (flags & O_DIRECTORY)
		return -ENOTDIR;
	if (type == S_IFLNK && (flags & O_NOFOLLOW))
		return -ELOOP;
	if (n->ops->open)
		return n->ops->open(p, n, flags, path, out);
	if (pseudo_writes(flags) && !(n->mode & 0222))
		return -EACCES;
	err = n->ops->fill(p, n, &text);
	if (err) {
		kfree(text.data);
		return err;
	}
	if (!text.data)
		pbuf_put(&text, "", 0);
	return pseudo_text_file(n, flags, path, &text, out);
}
