/*
 * The sMonitor file client (see file_rpc.h): struct pfile_ops over the
 * P2S_ calls. The connection is the monitor's shared one to the
 * sMonitor's address (tessera/cluster/peer.h: a peer keeps one connection
 * per address, so every client of one sMonitor must share it), which is
 * made on first use and made again after a failure.
 *
 * Locking: none here; a struct pfile_rpc is read-only after creation.
 */
#include <tessera/cluster/peer.h>
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/net/rpc.h>
#include <tessera/string.h>
#include <tessera/time.h>

#include "processor/backend/file_rpc.h"

#define PFILE_RPC_CALL_NS (2ull * NSEC_PER_SEC)
#define PFILE_RPC_TRIES 2 /* the second on a new connection */

struct pfile_rpc {
	u32 ip;
};

/* One request: the reply's length or the sMonitor's -errno; transport
 * failures are -EIO. */
static int pfile_rpc_call(struct pfile_rpc *c, u16 opcode, const void *req,
			  u32 len, void *reply, u32 cap)
{
	int res = -ECONNRESET;

	for (int i = 0; i < PFILE_RPC_TRIES && res == -ECONNRESET; i++)
		res = peer_call(c->ip, opcode, req, len, reply, cap, PFILE_RPC_CALL_NS);
	if (res == -ECONNRESET || res == -ETIMEDOUT || res == -EMSGSIZE ||
	    res == -ENETDOWN || res == -ENOSPC || res == -ECONNREFUSED)
		return -EIO;
	return res;
}

static int pfile_rpc_lookup(void *be, const char *path, struct pfile_handle *h,
			    struct pfile_attr *attr)
{
	size_t plen = strlen(path);
	struct p2s_lookup_msg *m;
	struct p2s_entry_reply r;
	int res;

	if (plen > FS_WIRE_PATH_MAX)
		return -ENAMETOOLONG;
	if (path[0] != '/')
		return -ENOENT;
	m = kmalloc(sizeof(*m) + plen);
	if (!m)
		return -ENOMEM;
	*m = (struct p2s_lookup_msg){ .path_len = (u32)plen };
	memcpy(m + 1, path, plen);
	res = pfile_rpc_call(be, P2S_LOOKUP, m, (u32)(sizeof(*m) + plen), &r, sizeof(r));
	kfree(m);
	if (res >= 0 && res != sizeof(r))
		res = -EIO;
	if (res < 0)
		return res;
	pfile_rpc_handle_from_wire(&r.h, h);
	pfile_rpc_attr_from_wire(&r.attr, attr);
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
	if (res >= 0 && res != sizeof(r))
		res = -EIO;
	if (res < 0)
		return res;
	pfile_rpc_attr_from_wire(&r.attr, attr);
	return 0;
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

static const struct pfile_ops pfile_rpc_ops = {
	.lookup = pfile_rpc_lookup, .getattr = pfile_rpc_getattr,
	.read = pfile_rpc_read, .readlink = pfile_rpc_readlink,
	.readdir = pfile_rpc_readdir,
};

int pfile_rpc_create(struct rpc_ep *ep, u32 storage_ip, struct pfile_backend *out)
{
	struct pfile_rpc *c;

	if (ep)
		return -EINVAL;
	c = kzalloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->ip = storage_ip;
	out->ops = &pfile_rpc_ops;
	out->be = c;
	return 0;
}

void pfile_rpc_destroy(struct pfile_backend *b)
{
	kfree(b->be);
	b->be = NULL;
}
