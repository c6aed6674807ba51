/*
 * The sMonitor file client (see file_rpc.h): the calls that read, and the
 * transport every call goes through. The connection is the monitor's
 * shared one to the sMonitor's address (tessera/cluster/peer.h: a peer
 * keeps one connection per address, so every client of one sMonitor must
 * share it), made on first use and made again after a failure; a call
 * that fails in transport is retried with a growing pause until
 * PFILE_RPC_RETRY_NS, so an sMonitor that restarts in the meantime
 * answers it.
 *
 * Locking: see file_rpc_priv.h.
 */
#include <tessera/cluster/peer.h>
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/net/plat.h>
#include <tessera/net/rpc.h>
#include <tessera/string.h>
#include <tessera/thread.h>
#include <tessera/time.h>

#include "processor/backend/file_rpc_priv.h"

#define PFILE_RPC_CALL_NS (5ull * NSEC_PER_SEC)
#define PFILE_RPC_PAUSE_MAX_NS (NSEC_PER_SEC / 2)

static bool transport_error(int res)
{
	return res == -ECONNRESET || res == -ETIMEDOUT || res == -ENETDOWN ||
	       res == -ENOSPC || res == -ECONNREFUSED || res == -EHOSTUNREACH;
}

int pfile_rpc_call(struct pfile_rpc *c, u16 opcode, const void *req, u32 len,
		   void *reply, u32 cap)
{
	u64 until = time_ns() + PFILE_RPC_RETRY_NS, pause = 10 * NSEC_PER_MSEC;
	int res;

	for (;;) {
		res = peer_call(c->ip, opcode, req, len, reply, cap, PFILE_RPC_CALL_NS);
		if (!transport_error(res) || time_ns() >= until)
			break;
		__atomic_add_fetch(&c->retries, 1, __ATOMIC_RELAXED);
		thread_sleep_ns(pause);
		pause = MIN(pause * 2, PFILE_RPC_PAUSE_MAX_NS);
	}
	return transport_error(res) || res == -EMSGSIZE ? -EIO : res;
}

/* The fixed part of a request that names a file by path from dir. */
static int lookup_msg(struct pfile_rpc *c, const struct pfile_handle *dir, const char *path,
		      u32 flags, struct p2s_lookup_msg **out, u32 *len)
{
	size_t plen = strlen(path);
	struct p2s_lookup_msg *m;
	int err = 0;

	if (plen > FS_WIRE_PATH_MAX)
		return -ENAMETOOLONG;
	if (!plen)
		return -ENOENT;
	m = kmalloc(sizeof(*m) + plen);
	if (!m)
		return -ENOMEM;
	*m = (struct p2s_lookup_msg){ .root = c->root, .path_len = (u32)plen,
				      .flags = flags & PFILE_NOFOLLOW ? P2S_LOOKUP_NOFOLLOW : 0 };
	m->dir = c->root;
	if (dir)
		err = pfile_rpc_handle_to_wire(dir, &m->dir);
	memcpy(m + 1, path, plen);
	*out = m;
	*len = (u32)(sizeof(*m) + plen);
	return err;
}

int pfile_rpc_entry(int res, const struct p2s_entry_reply *r, struct pfile_handle *h,
		    struct pfile_attr *attr)
{
	if (res >= 0 && res != sizeof(*r))
		res = -EIO;
	if (res < 0)
		return res;
	pfile_rpc_handle_from_wire(&r->h, h);
	if (attr)
		pfile_rpc_attr_from_wire(&r->attr, attr);
	return 0;
}

static int pfile_rpc_lookup_at(void *be, const struct pfile_handle *dir, const char *path,
			       u32 flags, struct pfile_handle *h, struct pfile_attr *attr)
{
	struct p2s_lookup_msg *m = NULL;
	struct p2s_entry_reply r;
	u32 len;
	int res = lookup_msg(be, dir, path, flags, &m, &len);

	if (!res)
		res = pfile_rpc_call(be, P2S_LOOKUP, m, len, &r, sizeof(r));
	kfree(m);
	return pfile_rpc_entry(res, &r, h, attr);
}

static int pfile_rpc_lookup(void *be, const char *path, struct pfile_handle *h,
			    struct pfile_attr *attr)
{
	if (path[0] != '/')
		return -ENOENT;
	return pfile_rpc_lookup_at(be, NULL, path, 0, h, attr);
}

int pfile_rpc_attr(int res, const struct p2s_attr_reply *r, struct pfile_attr *attr)
{
	if (res >= 0 && res != sizeof(*r))
		res = -EIO;
	if (res < 0)
		return res;
	if (attr)
		pfile_rpc_attr_from_wire(&r->attr, attr);
	return 0;
}

static int pfile_rpc_getattr(void *be, const struct pfile_handle *h,
			     struct pfile_attr *attr)
{
	struct p2s_getattr_msg m;
	struct p2s_attr_reply r;
	int res = pfile_rpc_handle_to_wire(h, &m.h);

	if (!res)
		res = pfile_rpc_call(be, P2S_GETATTR, &m, sizeof(m), &r, sizeof(r));
	return pfile_rpc_attr(res, &r, attr);
}

/* One READ call of up to P2S_READ_MAX bytes into buf, through the reply
 * buffer rb: the count, setting *eof at the end of the file. */
static long pfile_rpc_read1(struct pfile_rpc *c, const struct p2s_read_msg *m,
			    u8 *rb, u8 *buf, bool *eof)
{
	struct p2s_read_reply r;
	int res = pfile_rpc_call(c, P2S_READ, m, sizeof(*m), rb, sizeof(r) + m->len);

	if (res < 0)
		return res;
	if ((u32)res < sizeof(r))
		return -EIO;
	memcpy(&r, rb, sizeof(r));
	if (r.len > m->len || r.len != res - sizeof(r))
		return -EIO;
	memcpy(buf, rb + sizeof(r), r.len);
	*eof = r.eof || r.len < m->len;
	return r.len;
}

static long pfile_rpc_read(void *be, const struct pfile_handle *h, u64 off,
			   void *buf, u32 len)
{
	struct p2s_read_msg m = { .offset = off };
	u8 *rb = kmalloc(RPC_MAX_BODY);
	bool eof = false;
	long done = 0, n = pfile_rpc_handle_to_wire(h, &m.h);

	if (!rb)
		return -ENOMEM;
	while (!n && !eof && (u32)done < len) {
		m.len = (u32)MIN((u64)(len - done), (u64)P2S_READ_MAX);
		n = pfile_rpc_read1(be, &m, rb, (u8 *)buf + done, &eof);
		if (n > 0) {
			done += n;
			m.offset += (u64)n;
			n = 0;
		}
	}
	kfree(rb);
	return done ? done : n;
}

/* A READLINK reply body of len bytes in rb: the target's length. */
static long pfile_rpc_link_len(const u8 *rb, long len)
{
	struct p2s_readlink_reply r;

	if (len < (long)sizeof(r))
		return -EIO;
	memcpy(&r, rb, sizeof(r));
	return r.len == len - (long)sizeof(r) ? (long)r.len : -EIO;
}

static long pfile_rpc_readlink(void *be, const struct pfile_handle *h, char *buf,
			       u32 cap)
{
	struct p2s_readlink_msg m;
	u8 *rb = kmalloc(RPC_MAX_BODY);
	long res = pfile_rpc_handle_to_wire(h, &m.h);

	if (!rb)
		return -ENOMEM;
	if (!res)
		res = pfile_rpc_call(be, P2S_READLINK, &m, sizeof(m), rb, RPC_MAX_BODY);
	if (res >= 0)
		res = pfile_rpc_link_len(rb, res);
	if (res >= 0) {
		res = MIN(res, (long)cap);
		memcpy(buf, rb + sizeof(struct p2s_readlink_reply), (size_t)res);
	}
	kfree(rb);
	return res;
}

static int pfile_rpc_readdir(void *be, const struct pfile_handle *h, u64 cookie,
			     struct pfile_dirent *ents, u32 max)
{
	struct p2s_readdir_msg m = { .cookie = cookie };
	u8 *rb = kmalloc(RPC_MAX_BODY);
	int res = pfile_rpc_handle_to_wire(h, &m.h);

	if (!rb)
		return -ENOMEM;
	m.max_bytes = (u32)MIN((u64)max * FS_WIRE_DIRENT_LEN(PFILE_NAME_MAX),
			       (u64)(RPC_MAX_BODY - sizeof(struct p2s_readdir_reply)));
	if (!res && max) {
		res = pfile_rpc_call(be, P2S_READDIR, &m, sizeof(m), rb, RPC_MAX_BODY);
		if (res >= 0)
			res = pfile_rpc_dirents(rb, (u32)res, ents, max);
	}
	kfree(rb);
	return res;
}

static int pfile_rpc_statfs(void *be, const struct pfile_handle *h, struct pfile_statfs *st)
{
	struct p2s_statfs_msg m = { 0 };
	struct p2s_statfs_reply r;
	int res = pfile_rpc_call(be, P2S_STATFS, &m, sizeof(m), &r, sizeof(r));

	if (res >= 0 && res != sizeof(r))
		res = -EIO;
	if (res < 0)
		return res;
	*st = (struct pfile_statfs){ .blocks = r.blocks, .bfree = r.bfree, .bavail = r.bavail,
				     .files = r.files, .ffree = r.ffree, .fsid = r.fsid,
				     .bsize = r.bsize, .name_max = r.name_max, .magic = r.magic };
	return 0;
}

const struct pfile_ops pfile_rpc_ops = {
	.lookup = pfile_rpc_lookup, .lookup_at = pfile_rpc_lookup_at,
	.getattr = pfile_rpc_getattr, .read = pfile_rpc_read,
	.readlink = pfile_rpc_readlink, .readdir = pfile_rpc_readdir,
	.create = pfile_rpc_create_file, .mkdir = pfile_rpc_mkdir,
	.symlink = pfile_rpc_symlink, .link = pfile_rpc_link,
	.unlink = pfile_rpc_unlink, .rename = pfile_rpc_rename,
	.setattr = pfile_rpc_setattr, .write = pfile_rpc_write,
	.commit = pfile_rpc_commit, .statfs = pfile_rpc_statfs,
};

int pfile_rpc_create(struct rpc_ep *ep, u32 storage_ip, const struct pfile_handle *root,
		     struct pfile_backend *out)
{
	struct pfile_rpc *c;
	int err = 0;

	if (ep)
		return -EINVAL;
	c = kzalloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->ip = storage_ip;
	if (root)
		err = pfile_rpc_handle_to_wire(root, &c->root);
	if (err) {
		kfree(c);
		return err;
	}
	c->client = (u64)netplat_random() << 32 | netplat_random() | 1;
	mutex_init(&c->lock, "pfile_rpc", LOCK_RANK_FILE_RPC);
	c->redo_tail = &c->redo;
	out->ops = &pfile_rpc_ops;
	out->be = c;
	return 0;
}

void pfile_rpc_destroy(struct pfile_backend *b)
{
	struct pfile_rpc *c = b->be;

	if (c)
		pfile_rpc_redo_drop(c);
	kfree(c);
	b->be = NULL;
}
