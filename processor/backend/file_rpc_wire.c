/*
 * The file protocol's messages as the pMonitor's file types: handles,
 * attributes and READDIR entries. Pure functions with no state; a reply
 * is checked before any of it is used, since it comes from the network.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "processor/backend/file_rpc.h"

int pfile_rpc_handle_to_wire(const struct pfile_handle *h, struct fs_wire_handle *w)
{
	if (h->ino > 0xffffffffull)
		return -ESTALE;
	w->ino = (u32)h->ino;
	w->gen = h->gen;
	return 0;
}

void pfile_rpc_handle_from_wire(const struct fs_wire_handle *w, struct pfile_handle *h)
{
	h->ino = w->ino;
	h->gen = w->gen;
	h->pad = 0;
}

void pfile_rpc_attr_from_wire(const struct fs_wire_attr *w, struct pfile_attr *a)
{
	*a = (struct pfile_attr){
		.ino = w->ino, .size = w->size, .blocks = w->blocks,
		.atime = w->atime, .mtime = w->mtime, .ctime = w->ctime,
		.atime_ns = w->atime_ns, .mtime_ns = w->mtime_ns, .ctime_ns = w->ctime_ns,
		.mode = w->mode, .nlink = w->nlink, .uid = w->uid, .gid = w->gid,
		.blksize = w->blksize, .rdev = w->rdev,
	};
}

int pfile_rpc_name_len(const char *name)
{
	size_t n = strlen(name);

	if (!n || strchr(name, '/'))
		return -EINVAL;
	return n > FS_WIRE_NAME_MAX ? -ENAMETOOLONG : (int)n;
}

/* A name a directory may hold: no '/' and no NUL. */
static bool pfile_rpc_name_ok(const u8 *name, u32 len)
{
	for (u32 i = 0; i < len; i++)
		if (name[i] == '/' || !name[i])
			return false;
	return len > 0;
}

/* One entry at p (left bytes remain): its record length, or 0 if bad. */
static u32 pfile_rpc_dirent(const u8 *p, u32 left, struct pfile_dirent *d)
{
	struct fs_wire_dirent w;

	if (left < sizeof(w))
		return 0;
	memcpy(&w, p, sizeof(w));
	if (w.rec_len % 8 || w.rec_len < FS_WIRE_DIRENT_LEN(w.name_len) ||
	    w.rec_len > left || !pfile_rpc_name_ok(p + sizeof(w), w.name_len))
		return 0;
	d->ino = w.ino;
	d->next_cookie = w.next_cookie;
	d->type = w.type;
	d->name_len = w.name_len;
	memcpy(d->name, p + sizeof(w), w.name_len);
	d->name[w.name_len] = 0;
	return w.rec_len;
}

int pfile_rpc_dirents(const void *body, u32 len, struct pfile_dirent *ents, u32 max)
{
	struct p2s_readdir_reply r;
	const u8 *p = (const u8 *)body + sizeof(r);
	u32 n;

	if (len < sizeof(r))
		return -EIO;
	memcpy(&r, body, sizeof(r));
	if (r.bytes != len - sizeof(r) || r.count > r.bytes / sizeof(struct fs_wire_dirent))
		return -EIO;
	for (n = 0; n < r.count && n < max; n++) {
		u32 rec = pfile_rpc_dirent(p, (u32)(len - (p - (const u8 *)body)), &ents[n]);

		if (!rec)
			return -EIO;
		p += rec;
	}
	return (int)n;
}
