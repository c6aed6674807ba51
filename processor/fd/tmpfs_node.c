/*
 * tmpfs nodes (tmpfs_priv.h): the node table, directory entries and the
 * data pages of regular files. Pages are allocated as they are written,
 * so a file written with holes holds only what was written; a page is
 * counted against the tmpfs's cap while it is held.
 *
 * Locking: every function runs with fs->lock held (tmpfs_priv.h).
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/string.h>
#include <tessera/time.h>
#include <tessera/uapi/stat.h>

#include "processor/fd/tmpfs_priv.h"

#define TMPFS_SLOTS_FIRST 64u
#define TMPFS_SLOTS_MAX (1u << 20)
#define TMPFS_DIRENT_SIZE 20 /* a directory's size per entry, as Linux's tmpfs */

/* A free slot (growing the table), or -ENOMEM. */
static long free_slot(struct ptmpfs *fs)
{
	u32 n = fs->nslot ? fs->nslot * 2 : TMPFS_SLOTS_FIRST;
	struct tmpfs_node **slot;
	u32 *gen;

	for (u32 i = 0; i < fs->nslot; i++)
		if (!fs->slot[i])
			return i;
	if (n > TMPFS_SLOTS_MAX)
		return -ENOMEM;
	slot = kzalloc(n * sizeof(*slot));
	gen = kzalloc(n * sizeof(*gen));
	if (!slot || !gen) {
		kfree(slot);
		kfree(gen);
		return -ENOMEM;
	}
	if (fs->nslot) {
		memcpy(slot, fs->slot, fs->nslot * sizeof(*slot));
		memcpy(gen, fs->slot_gen, fs->nslot * sizeof(*gen));
	}
	kfree(fs->slot);
	kfree(fs->slot_gen);
	fs->slot = slot;
	fs->slot_gen = gen;
	fs->nslot = n;
	return free_slot(fs);
}

void tmpfs_node_touch(struct tmpfs_node *n, bool modified)
{
	u64 now = walltime_ns();

	n->ctime_ns = now;
	if (modified)
		n->mtime_ns = now;
}

struct tmpfs_node *tmpfs_node_new(struct ptmpfs *fs, u32 mode)
{
	long i = free_slot(fs);
	struct tmpfs_node *n = i < 0 ? NULL : kzalloc(sizeof(*n));

	if (!n)
		return NULL;
	n->ino = (u64)i + 1;
	n->gen = fs->slot_gen[i];
	n->mode = mode;
	n->nlink = 1;
	n->next_cookie = 1;
	tmpfs_node_touch(n, true);
	n->atime_ns = n->mtime_ns;
	fs->slot[i] = n;
	return n;
}

struct tmpfs_node *tmpfs_node_get(struct ptmpfs *fs, const struct pfile_handle *h)
{
	struct tmpfs_node *n;

	if (!h->ino || h->ino > fs->nslot)
		return NULL;
	n = fs->slot[h->ino - 1];
	return n && n->gen == h->gen ? n : NULL;
}

static void node_free(struct ptmpfs *fs, struct tmpfs_node *n)
{
	tmpfs_data_truncate(fs, n, 0);
	kfree(n->page);
	while (n->ents)
		tmpfs_dir_remove(n, n->ents);
	kfree(n->target);
	fs->slot[n->ino - 1] = NULL;
	fs->slot_gen[n->ino - 1]++;
	kfree(n);
}

void tmpfs_node_unlink(struct ptmpfs *fs, struct tmpfs_node *n)
{
	if (TMPFS_IS(n, S_IFDIR) || --n->nlink == 0)
		node_free(fs, n);
	else
		tmpfs_node_touch(n, false);
}

void tmpfs_node_free_all(struct ptmpfs *fs)
{
	for (u32 i = 0; i < fs->nslot; i++) {
		struct tmpfs_node *n = fs->slot[i];

		if (n)
			node_free(fs, n); /* its entries only: each node goes here */
	}
}

void tmpfs_node_attr(const struct tmpfs_node *n, struct pfile_attr *a)
{
	u64 held = 0;

	for (u64 i = 0; i < n->npage; i++)
		held += n->page[i] ? TMPFS_PAGE / 512 : 0;
	*a = (struct pfile_attr){
		.ino = n->ino, .size = n->size, .blocks = held, .mode = n->mode,
		.nlink = n->nlink, .uid = n->uid, .gid = n->gid, .blksize = TMPFS_PAGE,
		.rdev = n->rdev,
		.atime = (s64)(n->atime_ns / NSEC_PER_SEC), .atime_ns = n->atime_ns % NSEC_PER_SEC,
		.mtime = (s64)(n->mtime_ns / NSEC_PER_SEC), .mtime_ns = n->mtime_ns % NSEC_PER_SEC,
		.ctime = (s64)(n->ctime_ns / NSEC_PER_SEC), .ctime_ns = n->ctime_ns % NSEC_PER_SEC,
	};
}

/* --- directories --- */

struct tmpfs_dirent *tmpfs_dir_find(struct tmpfs_node *dir, const char *name)
{
	for (struct tmpfs_dirent *e = dir->ents; e; e = e->next)
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}

int tmpfs_dir_add(struct tmpfs_node *dir, const char *name, struct tmpfs_node *n)
{
	size_t len = strlen(name);
	struct tmpfs_dirent *e = kmalloc(sizeof(*e) + len + 1), **tail = &dir->ents;

	if (!e)
		return -ENOMEM;
	*e = (struct tmpfs_dirent){ .node = n, .cookie = dir->next_cookie++, .len = (u8)len };
	memcpy(e->name, name, len + 1);
	while (*tail)
		tail = &(*tail)->next;
	*tail = e;
	dir->size += TMPFS_DIRENT_SIZE;
	tmpfs_node_touch(dir, true);
	return 0;
}

void tmpfs_dir_remove(struct tmpfs_node *dir, struct tmpfs_dirent *e)
{
	struct tmpfs_dirent **pp = &dir->ents;

	while (*pp != e)
		pp = &(*pp)->next;
	*pp = e->next;
	dir->size -= TMPFS_DIRENT_SIZE;
	tmpfs_node_touch(dir, true);
	kfree(e);
}

/* --- data --- */

long tmpfs_data_read(struct tmpfs_node *n, u64 off, void *buf, u32 len)
{
	u64 end = off >= n->size ? off : MIN(n->size, off + len);

	for (u64 at = off; at < end;) {
		u64 pg = at / TMPFS_PAGE, in = at % TMPFS_PAGE;
		u64 k = MIN(TMPFS_PAGE - in, end - at);
		u8 *dst = (u8 *)buf + (at - off);

		if (pg < n->npage && n->page[pg])
			memcpy(dst, n->page[pg] + in, k);
		else
			memset(dst, 0, k);
		at += k;
	}
	return (long)(end - off);
}

/* Room for page slots up to page pg. 0 or -ENOMEM. */
static int grow_pages(struct tmpfs_node *n, u64 pg)
{
	u64 want = MAX(pg + 1, n->npage * 2);
	u8 **page;

	if (pg < n->npage)
		return 0;
	page = kzalloc(want * sizeof(*page));
	if (!page)
		return -ENOMEM;
	if (n->npage)
		memcpy(page, n->page, n->npage * sizeof(*page));
	kfree(n->page);
	n->page = page;
	n->npage = want;
	return 0;
}

/* The page pg of n, allocated (zeroed) if it was a hole, or NULL. */
static u8 *page_for_write(struct ptmpfs *fs, struct tmpfs_node *n, u64 pg, int *err)
{
	*err = grow_pages(n, pg);
	if (*err)
		return NULL;
	if (!n->page[pg]) {
		*err = fs->bytes + TMPFS_PAGE > fs->cap ? -ENOSPC : 0;
		n->page[pg] = *err ? NULL : kzalloc(TMPFS_PAGE);
		if (!*err && !n->page[pg])
			*err = -ENOMEM;
		if (!*err)
			fs->bytes += TMPFS_PAGE;
	}
	return n->page[pg];
}

long tmpfs_data_write(struct ptmpfs *fs, struct tmpfs_node *n, u64 off, const void *buf,
		      u32 len)
{
	u64 at = off;
	int err = 0;

	if (off >= TMPFS_FILE_MAX || len > TMPFS_FILE_MAX - off)
		return -EFBIG;
	while (at < off + len) {
		u64 pg = at / TMPFS_PAGE, in = at % TMPFS_PAGE;
		u64 k = MIN(TMPFS_PAGE - in, off + len - at);
		u8 *p = page_for_write(fs, n, pg, &err);

		if (!p)
			break;
		memcpy(p + in, (const u8 *)buf + (at - off), k);
		at += k;
	}
	if (at == off && len)
		return err;
	n->size = MAX(n->size, at);
	tmpfs_node_touch(n, true);
	return (long)(at - off);
}

int tmpfs_data_truncate(struct ptmpfs *fs, struct tmpfs_node *n, u64 size)
{
	u64 keep = (size + TMPFS_PAGE - 1) / TMPFS_PAGE;

	if (size > TMPFS_FILE_MAX)
		return -EFBIG;
	for (u64 pg = keep; pg < n->npage; pg++) {
		if (n->page[pg]) {
			kfree(n->page[pg]);
			n->page[pg] = NULL;
			fs->bytes -= TMPFS_PAGE;
		}
	}
	if (size % TMPFS_PAGE && keep && keep - 1 < n->npage && n->page[keep - 1])
		memset(n->page[keep - 1] + size % TMPFS_PAGE, 0, TMPFS_PAGE - size % TMPFS_PAGE);
	n->size = size;
	return 0;
}
