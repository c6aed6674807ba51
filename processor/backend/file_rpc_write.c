/*
 * The file client's calls that change files (see file_rpc.h): each gets
 * a fresh request id, kept on its retries, so the sMonitor applies it
 * once. Names and attributes are durable when the reply comes (the
 * sMonitor commits them first). Data is not: every acknowledged write is
 * kept, with the boot verifier of its reply, until a commit returns with
 * that same verifier; a commit whose verifier differs (the sMonitor
 * restarted and may have lost them) writes them all again and commits
 * again. Past PFILE_RPC_REDO_BYTES kept, a write commits first.
 *
 * Locking: see file_rpc_priv.h.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/string.h>

#include "processor/backend/file_rpc_priv.h"

#define PFILE_RPC_COMMIT_TRIES 4

static struct fs_wire_xid next_xid(struct pfile_rpc *c)
{
	return (struct fs_wire_xid){ c->client,
				     __atomic_add_fetch(&c->seq, 1, __ATOMIC_RELAXED) };
}

/* A request body: the fixed struct, then a, then b (NULL: none). */
static void *body_of(const void *fixed, u32 flen, const char *a, u32 alen, const char *b,
		     u32 blen, u32 *len)
{
	u8 *m;

	*len = flen + alen + blen;
	if (*len > RPC_MAX_BODY)
		return NULL;
	m = kmalloc(*len);
	if (!m)
		return NULL;
	memcpy(m, fixed, flen);
	memcpy(m + flen, a, alen);
	if (b)
		memcpy(m + flen + alen, b, blen);
	return m;
}

/* Send the request fixed + name (+ extra) and unpack an entry reply. */
static int named_call(struct pfile_rpc *c, u16 op, const void *fixed, u32 flen,
		      const char *name, u32 nlen, const char *extra, u32 elen,
		      void *reply, u32 cap)
{
	u32 len;
	void *m = body_of(fixed, flen, name, nlen, extra, elen, &len);
	int res;

	if (!m)
		return len > RPC_MAX_BODY ? -ENAMETOOLONG : -ENOMEM;
	res = pfile_rpc_call(c, op, m, len, reply, cap);
	kfree(m);
	return res;
}

/* The directory handle and name length of a request, or -errno. */
static int dir_name(const struct pfile_handle *dir, const char *name,
		    struct fs_wire_handle *w)
{
	int n = pfile_rpc_name_len(name);
	int err = n < 0 ? n : pfile_rpc_handle_to_wire(dir, w);

	return err ? err : n;
}

int pfile_rpc_create_file(void *be, const struct pfile_handle *dir, const char *name,
			  u32 mode, u32 rdev, u32 flags, struct pfile_handle *h,
			  struct pfile_attr *attr, bool *created)
{
	struct pfile_rpc *c = be;
	struct p2s_create_msg m = { .xid = next_xid(c), .mode = mode, .rdev = rdev,
		.flags = (flags & PFILE_CREATE_EXCL ? P2S_CREATE_EXCL : 0) |
			 (flags & PFILE_CREATE_TRUNC ? P2S_CREATE_TRUNC : 0) };
	struct p2s_entry_reply r;
	int n = dir_name(dir, name, &m.dir), res;

	*created = false;
	if (n < 0)
		return n;
	m.name_len = (u32)n;
	res = named_call(c, P2S_CREATE, &m, sizeof(m), name, (u32)n, NULL, 0, &r, sizeof(r));
	res = pfile_rpc_entry(res, &r, h, attr);
	if (!res)
		*created = r.created;
	return res;
}

int pfile_rpc_mkdir(void *be, const struct pfile_handle *dir, const char *name,
		    u32 mode, struct pfile_handle *h, struct pfile_attr *attr)
{
	struct pfile_rpc *c = be;
	struct p2s_mkdir_msg m = { .xid = next_xid(c), .mode = mode };
	struct p2s_entry_reply r;
	int n = dir_name(dir, name, &m.dir), res;

	if (n < 0)
		return n;
	m.name_len = (u32)n;
	res = named_call(c, P2S_MKDIR, &m, sizeof(m), name, (u32)n, NULL, 0, &r, sizeof(r));
	return pfile_rpc_entry(res, &r, h, attr);
}

int pfile_rpc_symlink(void *be, const struct pfile_handle *dir, const char *name,
		      const char *target, struct pfile_handle *h, struct pfile_attr *attr)
{
	struct pfile_rpc *c = be;
	struct p2s_symlink_msg m = { .xid = next_xid(c), .target_len = (u32)strlen(target) };
	struct p2s_entry_reply r;
	int n = dir_name(dir, name, &m.dir), res;

	if (n < 0)
		return n;
	if (m.target_len > FS_WIRE_PATH_MAX)
		return -ENAMETOOLONG;
	m.name_len = (u32)n;
	res = named_call(c, P2S_SYMLINK, &m, sizeof(m), name, (u32)n, target,
			 m.target_len, &r, sizeof(r));
	return pfile_rpc_entry(res, &r, h, attr);
}

int pfile_rpc_link(void *be, const struct pfile_handle *h, const struct pfile_handle *dir,
		   const char *name)
{
	struct pfile_rpc *c = be;
	struct p2s_link_msg m = { .xid = next_xid(c) };
	struct p2s_attr_reply r;
	int n = dir_name(dir, name, &m.dir), res;

	if (n < 0)
		return n;
	res = pfile_rpc_handle_to_wire(h, &m.h);
	if (res)
		return res;
	m.name_len = (u32)n;
	res = named_call(c, P2S_LINK, &m, sizeof(m), name, (u32)n, NULL, 0, &r, sizeof(r));
	return pfile_rpc_attr(res, &r, NULL);
}

int pfile_rpc_unlink(void *be, const struct pfile_handle *dir, const char *name, u32 flags)
{
	struct pfile_rpc *c = be;
	struct p2s_unlink_msg m = { .xid = next_xid(c),
				    .flags = flags & PFILE_UNLINK_DIR ? P2S_UNLINK_DIR : 0 };
	int n = dir_name(dir, name, &m.dir), res;

	if (n < 0)
		return n;
	m.name_len = (u32)n;
	res = named_call(c, P2S_UNLINK, &m, sizeof(m), name, (u32)n, NULL, 0, NULL, 0);
	return res > 0 ? -EIO : res;
}

int pfile_rpc_rename(void *be, const struct pfile_handle *sdir, const char *sname,
		     const struct pfile_handle *ddir, const char *dname, u32 flags)
{
	struct pfile_rpc *c = be;
	struct p2s_rename_msg m = { .xid = next_xid(c),
		.flags = (flags & PFILE_RENAME_NOREPLACE ? P2S_RENAME_NOREPLACE : 0) |
			 (flags & PFILE_RENAME_EXCHANGE ? P2S_RENAME_EXCHANGE : 0) };
	int sn = dir_name(sdir, sname, &m.sdir), dn = dir_name(ddir, dname, &m.ddir), res;

	if (sn < 0 || dn < 0)
		return sn < 0 ? sn : dn;
	m.sname_len = (u32)sn;
	m.dname_len = (u32)dn;
	res = named_call(c, P2S_RENAME, &m, sizeof(m), sname, (u32)sn, dname, (u32)dn, NULL, 0);
	return res > 0 ? -EIO : res;
}

_Static_assert(PFILE_SET_MODE == P2S_SET_MODE && PFILE_SET_SIZE == P2S_SET_SIZE &&
	       PFILE_SET_MTIME_NOW == P2S_SET_MTIME_NOW, "setattr bits are the wire's");

int pfile_rpc_setattr(void *be, const struct pfile_handle *h, const struct pfile_setattr *sa,
		      struct pfile_attr *attr)
{
	struct pfile_rpc *c = be;
	struct p2s_setattr_msg m = { .xid = next_xid(c), .valid = sa->valid, .mode = sa->mode,
				     .uid = sa->uid, .gid = sa->gid, .size = sa->size,
				     .atime_ns = sa->atime_ns, .mtime_ns = sa->mtime_ns };
	struct p2s_attr_reply r;
	int res = pfile_rpc_handle_to_wire(h, &m.h);

	if (!res)
		res = pfile_rpc_call(c, P2S_SETATTR, &m, sizeof(m), &r, sizeof(r));
	return pfile_rpc_attr(res, &r, attr);
}

/* --- writes and commits --- */

void pfile_rpc_redo_drop(struct pfile_rpc *c)
{
	struct pfile_redo *r, *next;

	for (r = c->redo; r; r = next) {
		next = r->next;
		kfree(r);
	}
	c->redo = NULL;
	c->redo_tail = &c->redo;
	c->redo_bytes = 0;
}

/* One WRITE of len (<= P2S_WRITE_MAX) bytes at off; c->lock held. */
static long write1(struct pfile_rpc *c, const struct fs_wire_handle *h, u64 off,
		   const u8 *data, u32 len, u32 flags, struct p2s_write_reply *r)
{
	struct p2s_write_msg m = { .xid = next_xid(c), .h = *h, .offset = off, .len = len,
				   .flags = flags & PFILE_WRITE_APPEND ? P2S_WRITE_APPEND : 0 };
	int res = named_call(c, P2S_WRITE, &m, sizeof(m), (const char *)data, len, NULL, 0,
			     r, sizeof(*r));

	if (res >= 0 && (res != sizeof(*r) || r->len > len))
		res = -EIO;
	return res < 0 ? res : (long)r->len;
}

/* Keep a copy of an acknowledged write; false if there is no memory (the
 * caller commits at once then). c->lock held. */
static bool redo_add(struct pfile_rpc *c, const struct fs_wire_handle *h, u64 off,
		     const u8 *data, u32 len, u64 verf)
{
	struct pfile_redo *r = kmalloc(sizeof(*r) + len);

	if (!r)
		return false;
	*r = (struct pfile_redo){ .h = *h, .off = off, .verf = verf, .len = len };
	memcpy(r->data, data, len);
	*c->redo_tail = r;
	c->redo_tail = &r->next;
	c->redo_bytes += len;
	return true;
}

/* Send every kept write again (the sMonitor lost them); c->lock held. */
static int redo_all(struct pfile_rpc *c)
{
	struct p2s_write_reply rep;

	for (struct pfile_redo *r = c->redo; r; r = r->next) {
		long n = write1(c, &r->h, r->off, r->data, r->len, 0, &rep);

		if (n < 0)
			return (int)n;
		if ((u32)n < r->len)
			return -ENOSPC;
		r->verf = rep.verf;
	}
	return 0;
}

/* COMMIT until it comes back with the verifier of every kept write. */
static int commit_locked(struct pfile_rpc *c, u32 flags)
{
	struct p2s_commit_msg m = { .flags = flags & PFILE_COMMIT_SETTLE ?
						     P2S_COMMIT_SETTLE : 0 };
	struct p2s_commit_reply r;
	int res = 0;

	for (int tries = 0; tries < PFILE_RPC_COMMIT_TRIES && !res; tries++) {
		bool stale = false;

		res = pfile_rpc_call(c, P2S_COMMIT, &m, sizeof(m), &r, sizeof(r));
		if (res >= 0 && res != sizeof(r))
			res = -EIO;
		if (res < 0)
			return res;
		for (struct pfile_redo *x = c->redo; x; x = x->next)
			stale |= x->verf != r.verf;
		if (!stale) {
			pfile_rpc_redo_drop(c);
			return 0;
		}
		res = redo_all(c);
	}
	return res ? res : -EIO;
}

static long write_locked(struct pfile_rpc *c, const struct fs_wire_handle *h, u64 off,
			 const u8 *buf, u32 len, u32 flags, struct p2s_write_reply *r)
{
	long done = 0, n = 0;

	while ((u32)done < len) {
		u32 part = MIN(len - (u32)done, (u32)P2S_WRITE_MAX);

		n = write1(c, h, off, buf + done, part, flags, r);
		if (n < 0)
			break;
		if (!redo_add(c, h, r->at, buf + done, (u32)n, r->verf) ||
		    c->redo_bytes > PFILE_RPC_REDO_BYTES) {
			int err = commit_locked(c, 0);

			if (err) {
				n = err;
				break;
			}
		}
		done += n;
		off = r->at + (u64)n;
		flags &= ~PFILE_WRITE_APPEND;
		if ((u32)n < part)
			break;
	}
	return done ? done : n;
}

long pfile_rpc_write(void *be, const struct pfile_handle *h, u64 off, const void *buf,
		     u32 len, u32 flags, struct pfile_attr *attr)
{
	struct pfile_rpc *c = be;
	struct p2s_write_reply r;
	struct fs_wire_handle w;
	long res = pfile_rpc_handle_to_wire(h, &w);

	if (res || !len)
		return res;
	mutex_lock(&c->lock);
	res = write_locked(c, &w, off, buf, len, flags, &r);
	mutex_unlock(&c->lock);
	if (res > 0 && attr)
		pfile_rpc_attr_from_wire(&r.attr, attr);
	return res;
}

int pfile_rpc_commit(void *be, u32 flags)
{
	struct pfile_rpc *c = be;
	int res;

	mutex_lock(&c->lock);
	res = commit_locked(c, flags);
	mutex_unlock(&c->lock);
	return res;
}
