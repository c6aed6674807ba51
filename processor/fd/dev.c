/*
 * /dev: the character devices every program may count on, and the links
 * to its own descriptors. Device numbers are Linux's (1:3 null, 1:5
 * zero, 1:7 full, 1:8 random, 1:9 urandom, 5:0 tty). random and urandom
 * both read the kernel's generator (tessera/random.h), which never
 * blocks once seeded, as Linux's after boot; writes to them are taken and
 * dropped. /dev/tty is ENXIO: no process here has a controlling
 * terminal. Every device seeks to 0 and stays there, as Linux's do.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/random.h>
#include <tessera/string.h>
#include <tessera/uapi/fcntl.h>

#include "processor/fd/pseudo.h"

#define PDEV_DEV 5 /* st_dev of /dev (devtmpfs's 0:5) */
#define PDEV_RDEV(major, minor) (((major) << 8) | (minor))

enum pdev_minor { PDEV_NULL = 3, PDEV_ZERO = 5, PDEV_FULL = 7, PDEV_RANDOM = 8,
		  PDEV_URANDOM = 9 };

static long pdev_read_nothing(struct pfd_file *f, void *buf, u64 len)
{
	return 0;
}

static long pdev_read_zero(struct pfd_file *f, void *buf, u64 len)
{
	memset(buf, 0, len);
	return (long)len;
}

static long pdev_read_random(struct pfd_file *f, void *buf, u64 len)
{
	random_bytes(buf, len);
	return (long)len;
}

static long pdev_write_all(struct pfd_file *f, const void *buf, u64 len)
{
	return (long)len;
}

static long pdev_write_full(struct pfd_file *f, const void *buf, u64 len)
{
	return -ENOSPC;
}

static long pdev_pread(struct pfd_file *f, void *buf, u64 len, u64 off)
{
	return f->ops->read(f, buf, len);
}

static long pdev_pwrite(struct pfd_file *f, const void *buf, u64 len, u64 off)
{
	return f->ops->write(f, buf, len);
}

static s64 pdev_lseek(struct pfd_file *f, s64 off, int whence)
{
	return 0;
}

static int pdev_stat(struct pfd_file *f, struct stat *st)
{
	return pseudo_stat_node(NULL, f->priv, st);
}

static void pdev_release(struct pfd_file *f)
{
	kfree(f->priv);
}

static int pdev_mmap_zero(struct pfd_file *f, struct pfile_handle *h, u64 *size)
{
	return PFD_MMAP_ANON;
}

#define PDEV_OPS(k, rd, wr, ...)                                                  \
	{ .kind = k, .read = rd, .write = wr, .pread = pdev_pread, .pwrite = pdev_pwrite, \
	  .lseek = pdev_lseek, .stat = pdev_stat, .release = pdev_release, __VA_ARGS__ }

static const struct pfd_ops pdev_null_ops = PDEV_OPS("null", pdev_read_nothing, pdev_write_all);
static const struct pfd_ops pdev_zero_ops =
	PDEV_OPS("zero", pdev_read_zero, pdev_write_all, .mmap_file = pdev_mmap_zero);
static const struct pfd_ops pdev_full_ops = PDEV_OPS("full", pdev_read_zero, pdev_write_full);
static const struct pfd_ops pdev_random_ops =
	PDEV_OPS("random", pdev_read_random, pdev_write_all);

static const struct pfd_ops *pdev_kind(u32 minor)
{
	switch (minor) {
	case PDEV_NULL:
		return &pdev_null_ops;
	case PDEV_ZERO:
		return &pdev_zero_ops;
	case PDEV_FULL:
		return &pdev_full_ops;
	default:
		return &pdev_random_ops;
	}
}

static int pdev_open(struct pproc *caller, const struct pnode *n, u32 flags, const char *path,
		     struct pfd_file **out)
{
	struct pnode *copy = kmalloc(sizeof(*copy));

	if (copy)
		*out = pfd_file_new(pdev_kind(n->arg), flags & ~(u32)O_CLOEXEC, path);
	if (!copy || !*out) {
		kfree(copy);
		return -ENOMEM;
	}
	*copy = *n;
	(*out)->priv = copy;
	return 0;
}

static int pdev_open_tty(struct pproc *caller, const struct pnode *n, u32 flags,
			 const char *path, struct pfd_file **out)
{
	return -ENXIO;
}

static const struct pnode_ops pdev_char_ops = { .open = pdev_open };
static const struct pnode_ops pdev_tty_ops = { .open = pdev_open_tty };

static const char *const pdev_link_targets[] = {
	"/proc/self/fd", "/proc/self/fd/0", "/proc/self/fd/1", "/proc/self/fd/2",
};

static long pdev_readlink(struct pproc *caller, const struct pnode *n, char *buf, u64 size)
{
	const char *t = pdev_link_targets[n->arg];
	u64 len = MIN(strlen(t), size);

	memcpy(buf, t, len);
	return (long)len;
}

static const struct pnode_ops pdev_link_ops = { .readlink = pdev_readlink };

#define PDEV_CHAR(name, minor) \
	{ name, S_IFCHR | 0666, &pdev_char_ops, minor, PDEV_RDEV(1, minor), NULL }
#define PDEV_LINK(name, i) { name, S_IFLNK | 0777, &pdev_link_ops, i, 0, NULL }

static const struct pentry pdev_entries[] = {
	PDEV_CHAR("null", PDEV_NULL),
	PDEV_CHAR("zero", PDEV_ZERO),
	PDEV_CHAR("full", PDEV_FULL),
	PDEV_CHAR("random", PDEV_RANDOM),
	PDEV_CHAR("urandom", PDEV_URANDOM),
	{ "tty", S_IFCHR | 0666, &pdev_tty_ops, 0, PDEV_RDEV(5, 0), NULL },
	PDEV_LINK("fd", 0),
	PDEV_LINK("stdin", 1),
	PDEV_LINK("stdout", 2),
	PDEV_LINK("stderr", 3),
	{ "shm", S_IFDIR | 01777, &pseudo_table_ops, 0, 0, NULL }, /* mount.c's tmpfs */
	{ NULL, 0, NULL, 0, 0, NULL },
};

void pdev_root(struct pnode *out)
{
	*out = (struct pnode){ .ops = &pseudo_table_ops, .mode = S_IFDIR | 0755, .ino = 1,
			       .data = pdev_entries, .dev = PDEV_DEV };
}
