/*
 * The test file backend: the regular files of a ustar archive in memory,
 * served as a flat root directory (/NAME). Inode 1 is the root, file i is
 * inode i + 2, generation 1. Directory cookies: 0 ".", 1 "..", 2 + i the
 * i-th file. Read-only after creation, so no locking.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/string.h>
#include <tessera/uapi/stat.h>

#include "processor/test/test_backends.h"

#define PTF_MAX 32
#define PTF_ROOT 1
#define PTF_GEN 1
#define PTF_DT_DIR 4
#define PTF_DT_REG 8
#define TAR_BLOCK 512

struct ptf_entry {
	char name[PFILE_NAME_MAX + 1];
	const u8 *data;
	u64 size;
};

struct ptest_files {
	struct ptf_entry ents[PTF_MAX];
	u32 n;
};

static u64 ptf_octal(const char *s, u32 len)
{
	u64 v = 0;

	for (u32 i = 0; i < len && s[i] >= '0' && s[i] <= '7'; i++)
		v = v * 8 + (u64)(s[i] - '0');
	return v;
}

/* Add the archive member whose header is h, if a regular file. */
static int ptf_add(struct ptest_files *f, const u8 *h, const u8 *data, u64 size)
{
	struct ptf_entry *e;
	const char *name = (const char *)h;

	if (h[156] != '0' && h[156] != 0)
		return 0;
	if (f->n == PTF_MAX)
		return -EINVAL;
	e = &f->ents[f->n++];
	while (name[0] == '.' && name[1] == '/')
		name += 2;
	memcpy(e->name, name, MIN(strlen(name), (size_t)100));
	e->data = data;
	e->size = size;
	return 0;
}

static int ptf_parse(struct ptest_files *f, const u8 *tar, u64 size)
{
	u64 at = 0;

	while (at + TAR_BLOCK <= size && tar[at]) {
		const u8 *h = tar + at;
		u64 len = ptf_octal((const char *)h + 124, 12);
		int err;

		if (memcmp(h + 257, "ustar", 5) || len > size - at - TAR_BLOCK)
			return -EINVAL;
		err = ptf_add(f, h, h + TAR_BLOCK, len);
		if (err)
			return err;
		at += TAR_BLOCK + ALIGN_UP(len, (u64)TAR_BLOCK);
	}
	return 0;
}

/* The entry of inode ino, NULL for the root or an unknown inode. */
static const struct ptf_entry *ptf_entry(const struct ptest_files *f, u64 ino)
{
	return ino >= 2 && ino - 2 < f->n ? &f->ents[ino - 2] : NULL;
}

static int ptf_getattr(void *be, const struct pfile_handle *h, struct pfile_attr *a)
{
	const struct ptf_entry *e = ptf_entry(be, h->ino);

	if (h->gen != PTF_GEN || (!e && h->ino != PTF_ROOT))
		return -ESTALE;
	memset(a, 0, sizeof(*a));
	a->ino = h->ino;
	a->mode = e ? S_IFREG | 0755 : S_IFDIR | 0755;
	a->nlink = e ? 1 : 2;
	a->size = e ? e->size : 0;
	a->blocks = ALIGN_UP(a->size, 512ull) / 512;
	a->blksize = 4096;
	return 0;
}

/* Linux's error for a path not found: -ENOTDIR if its first component is
 * a file (which has no entries), else -ENOENT. */
static int ptf_missing(const struct ptest_files *f, const char *path)
{
	const char *slash = strchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;

	for (u32 i = 0; slash && i < f->n; i++)
		if (strlen(f->ents[i].name) == n && !strncmp(f->ents[i].name, path, n))
			return -ENOTDIR;
	return -ENOENT;
}

static int ptf_lookup(void *be, const char *path, struct pfile_handle *h,
		      struct pfile_attr *a)
{
	struct ptest_files *f = be;

	while (*path == '/' || (path[0] == '.' && path[1] == '/'))
		path += *path == '/' ? 1 : 2;
	h->ino = 0;
	h->gen = PTF_GEN;
	h->pad = 0;
	if (!path[0] || !strcmp(path, "."))
		h->ino = PTF_ROOT;
	for (u32 i = 0; i < f->n && !h->ino; i++)
		if (!strcmp(f->ents[i].name, path))
			h->ino = i + 2;
	if (!h->ino)
		return ptf_missing(f, path);
	return ptf_getattr(be, h, a);
}

static long ptf_read(void *be, const struct pfile_handle *h, u64 off, void *buf, u32 len)
{
	const struct ptf_entry *e = ptf_entry(be, h->ino);

	if (!e)
		return h->ino == PTF_ROOT ? -EISDIR : -ESTALE;
	if (off >= e->size)
		return 0;
	len = (u32)MIN((u64)len, e->size - off);
	memcpy(buf, e->data + off, len);
	return len;
}

static long ptf_readlink(void *be, const struct pfile_handle *h, char *buf, u32 cap)
{
	return -EINVAL;
}

static void ptf_dirent(struct pfile_dirent *d, u64 ino, u64 cookie, u8 type, const char *name)
{
	d->ino = ino;
	d->next_cookie = cookie + 1;
	d->type = type;
	d->name_len = (u8)str_copy(d->name, name, sizeof(d->name));
}

static int ptf_readdir(void *be, const struct pfile_handle *h, u64 cookie,
		       struct pfile_dirent *ents, u32 max)
{
	struct ptest_files *f = be;
	u32 n = 0;

	if (h->ino != PTF_ROOT)
		return ptf_entry(f, h->ino) ? -ENOTDIR : -ESTALE;
	for (; n < max && cookie < f->n + 2ull; cookie++, n++) {
		if (cookie < 2)
			ptf_dirent(&ents[n], PTF_ROOT, cookie, PTF_DT_DIR, cookie ? ".." : ".");
		else
			ptf_dirent(&ents[n], cookie, cookie, PTF_DT_REG, f->ents[cookie - 2].name);
	}
	return (int)n;
}

static const struct pfile_ops ptf_ops = {
	.lookup = ptf_lookup, .getattr = ptf_getattr, .read = ptf_read,
	.readlink = ptf_readlink, .readdir = ptf_readdir,
};

int ptest_files_create(const void *tar, u64 size, struct pfile_backend *out)
{
	struct ptest_files *f = kzalloc(sizeof(*f));
	int err;

	if (!f)
		return -ENOMEM;
	err = ptf_parse(f, tar, size);
	if (err) {
		kfree(f);
		return err;
	}
	out->ops = &ptf_ops;
	out->be = f;
	return 0;
}

void ptest_files_destroy(struct pfile_backend *b)
{
	kfree(b->be);
	b->be = NULL;
}
