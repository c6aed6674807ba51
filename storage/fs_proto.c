/*
 * The file protocol's dispatcher and its calls that only read. Requests
 * are copied out of the (possibly unaligned) body before use; every
 * length and pad field is checked before the file system sees the
 * request. Replies never exceed RPC_MAX_BODY. Calls that change the
 * volume (fs_proto_write.c) go through the reply cache, and those that
 * change names or attributes are committed before they are answered
 * (tessera/wire/fs.h).
 *
 * Locking: none; see fs_proto.h.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "storage/fs_proto.h"
#include "storage/fs_proto_ops.h"

struct fs_handle fs_proto_handle_of(struct fs *fs, struct fs_wire_handle w)
{
	if (!w.ino && !w.gen)
		return fs_root(fs);
	return (struct fs_handle){ w.ino, w.gen };
}

void fs_proto_attr(struct fs_wire_attr *w, const struct fs_attr *a)
{
	*w = (struct fs_wire_attr){
		.ino = a->ino, .size = a->size, .blocks = a->blocks,
		.atime = a->atime, .mtime = a->mtime, .ctime = a->ctime,
		.atime_ns = a->atime_ns, .mtime_ns = a->mtime_ns,
		.ctime_ns = a->ctime_ns, .mode = a->mode, .nlink = a->nlink,
		.uid = a->uid, .gid = a->gid, .gen = a->gen,
		.blksize = a->blksize, .rdev = a->rdev,
	};
}

int fs_proto_entry(struct fs *fs, struct fs_handle h, u32 created, u8 *reply,
		   u32 *reply_len)
{
	struct p2s_entry_reply r = { .h = { h.ino, h.gen }, .created = created };
	struct fs_attr a;
	int err = fs_getattr(fs, h, &a);

	if (err)
		return err;
	fs_proto_attr(&r.attr, &a);
	memcpy(reply, &r, sizeof(r));
	*reply_len = sizeof(r);
	return 0;
}

/* The path is copied, NUL-terminated, into the reply buffer, which is
 * free until the reply is written. */
static int handle_p2s_lookup(struct fs_proto *p, const void *req, u32 req_len,
			     u8 *reply, u32 *reply_len)
{
	struct p2s_lookup_msg m;
	struct fs_handle h;
	int err;

	memcpy(&m, req, sizeof(m));
	if (m.path_len != req_len - sizeof(m) || m.path_len > FS_WIRE_PATH_MAX)
		return -EBADMSG;
	if (m.flags & ~P2S_LOOKUP_NOFOLLOW)
		return -EINVAL;
	memcpy(reply, (const u8 *)req + sizeof(m), m.path_len);
	reply[m.path_len] = 0;
	if (strlen((char *)reply) != m.path_len)
		return -EINVAL;
	err = fs_lookup_in(p->fs, fs_proto_handle_of(p->fs, m.root),
			   fs_proto_handle_of(p->fs, m.dir), (char *)reply,
			   m.flags & P2S_LOOKUP_NOFOLLOW ? FS_LOOKUP_NOFOLLOW : 0,
			   &h);
	return err ? err : fs_proto_entry(p->fs, h, 0, reply, reply_len);
}

int fs_proto_attr_reply(struct fs *fs, struct fs_handle h, u8 *reply,
			u32 *reply_len)
{
	struct p2s_attr_reply r;
	struct fs_attr a;
	int err = fs_getattr(fs, h, &a);

	if (err)
		return err;
	fs_proto_attr(&r.attr, &a);
	memcpy(reply, &r, sizeof(r));
	*reply_len = sizeof(r);
	return 0;
}

static int handle_p2s_getattr(struct fs_proto *p, const void *req,
			      u32 req_len, u8 *reply, u32 *reply_len)
{
	struct p2s_getattr_msg m;

	memcpy(&m, req, sizeof(m));
	return fs_proto_attr_reply(p->fs, fs_proto_handle_of(p->fs, m.h), reply,
				   reply_len);
}

static int handle_p2s_read(struct fs_proto *p, const void *req, u32 req_len,
			   u8 *reply, u32 *reply_len)
{
	struct p2s_read_msg m;
	struct p2s_read_reply r = { 0 };
	struct fs_handle h;
	struct fs_attr a;
	int err;

	memcpy(&m, req, sizeof(m));
	if (m.pad)
		return -EINVAL;
	h = fs_proto_handle_of(p->fs, m.h);
	err = fs_getattr(p->fs, h, &a);
	if (!err)
		err = fs_read(p->fs, h, m.offset, reply + sizeof(r),
			      MIN(m.len, (u32)P2S_READ_MAX), &r.len);
	if (err)
		return err;
	r.eof = m.offset + r.len >= a.size;
	memcpy(reply, &r, sizeof(r));
	*reply_len = sizeof(r) + r.len;
	return 0;
}

struct readdir_pack {
	u8 *buf;
	u32 room;
	u32 used;
	u32 count;
};

static int pack_dirent(void *arg, const struct fs_dirent *d)
{
	struct readdir_pack *p = arg;
	struct fs_wire_dirent w = {
		.ino = d->ino, .next_cookie = d->next_cookie,
		.rec_len = FS_WIRE_DIRENT_LEN(d->name_len),
		.name_len = (u8)d->name_len, .type = (u8)d->type,
	};

	if (p->room - p->used < w.rec_len)
		return 1;
	memset(p->buf + p->used, 0, w.rec_len);
	memcpy(p->buf + p->used, &w, sizeof(w));
	memcpy(p->buf + p->used + sizeof(w), d->name, d->name_len);
	p->used += w.rec_len;
	p->count++;
	return 0;
}

static int handle_p2s_readdir(struct fs_proto *p, const void *req,
			      u32 req_len, u8 *reply, u32 *reply_len)
{
	struct p2s_readdir_msg m;
	struct p2s_readdir_reply r;
	struct readdir_pack pk = { .buf = reply + sizeof(r) };
	int err;

	memcpy(&m, req, sizeof(m));
	if (m.pad)
		return -EINVAL;
	pk.room = MIN(m.max_bytes, (u32)(RPC_MAX_BODY - sizeof(r)));
	err = fs_readdir(p->fs, fs_proto_handle_of(p->fs, m.h), m.cookie,
			 pack_dirent, &pk, &r.next_cookie);
	if (err)
		return err;
	if (!pk.count && r.next_cookie != FS_COOKIE_EOF)
		return -EMSGSIZE;
	r.count = pk.count;
	r.bytes = pk.used;
	memcpy(reply, &r, sizeof(r));
	*reply_len = sizeof(r) + pk.used;
	return 0;
}

static int handle_p2s_readlink(struct fs_proto *p, const void *req,
			       u32 req_len, u8 *reply, u32 *reply_len)
{
	struct p2s_readlink_msg m;
	struct p2s_readlink_reply r = { 0 };
	u32 room = RPC_MAX_BODY - sizeof(r);
	struct fs_handle h;
	struct fs_attr a;
	int err;

	memcpy(&m, req, sizeof(m));
	h = fs_proto_handle_of(p->fs, m.h);
	err = fs_getattr(p->fs, h, &a);
	if (err)
		return err;
	if ((a.mode & FS_S_IFMT) == FS_S_IFLNK && a.size > room)
		return -ENAMETOOLONG;
	err = fs_readlink(p->fs, h, (char *)reply + sizeof(r), room, &r.len);
	if (err)
		return err;
	memcpy(reply, &r, sizeof(r));
	*reply_len = sizeof(r) + r.len;
	return 0;
}

static int handle_p2s_commit(struct fs_proto *p, const void *req,
			     u32 req_len, u8 *reply, u32 *reply_len)
{
	struct p2s_commit_reply r = { p->verf };
	struct p2s_commit_msg m;
	int err;

	memcpy(&m, req, sizeof(m));
	if ((m.flags & ~P2S_COMMIT_SETTLE) || m.pad)
		return -EINVAL;
	err = m.flags & P2S_COMMIT_SETTLE ? fs_settle(p->fs) : fs_commit(p->fs);

	if (err)
		return err;
	memcpy(reply, &r, sizeof(r));
	*reply_len = sizeof(r);
	return 0;
}

static int handle_p2s_statfs(struct fs_proto *p, const void *req,
			     u32 req_len, u8 *reply, u32 *reply_len)
{
	struct p2s_statfs_reply r = { 0 };
	struct fs_statfs s;
	int err = fs_statfs(p->fs, &s);

	if (err)
		return err;
	r = (struct p2s_statfs_reply){ .blocks = s.blocks, .bfree = s.bfree,
				       .bavail = s.bavail, .files = s.files,
				       .ffree = s.ffree, .fsid = s.fsid,
				       .bsize = s.block_size,
				       .name_max = s.name_max, .magic = s.magic };
	memcpy(reply, &r, sizeof(r));
	*reply_len = sizeof(r);
	return 0;
}

#define OP(code, type, flags, fn) { code, sizeof(type), flags, fn }

static const struct fs_proto_op fs_proto_read_ops[] = {
	OP(P2S_LOOKUP, struct p2s_lookup_msg, FS_OP_TRAILING, handle_p2s_lookup),
	OP(P2S_GETATTR, struct p2s_getattr_msg, 0, handle_p2s_getattr),
	OP(P2S_READ, struct p2s_read_msg, 0, handle_p2s_read),
	OP(P2S_READDIR, struct p2s_readdir_msg, 0, handle_p2s_readdir),
	OP(P2S_READLINK, struct p2s_readlink_msg, 0, handle_p2s_readlink),
	OP(P2S_COMMIT, struct p2s_commit_msg, 0, handle_p2s_commit),
	OP(P2S_STATFS, struct p2s_statfs_msg, 0, handle_p2s_statfs),
};

static const struct fs_proto_op *find_op(u32 opcode)
{
	for (u32 i = 0; i < ARRAY_SIZE(fs_proto_read_ops); i++)
		if (fs_proto_read_ops[i].opcode == opcode)
			return &fs_proto_read_ops[i];
	for (u32 i = 0; i < fs_proto_nwrite_ops; i++)
		if (fs_proto_write_ops[i].opcode == opcode)
			return &fs_proto_write_ops[i];
	return NULL;
}

/* Run a call that changes something: once per request id, and on disk
 * before the answer if it must be. */
static int run_change(struct fs_proto *p, const struct fs_proto_op *op,
		      const void *req, u32 req_len, u8 *reply, u32 *reply_len)
{
	const struct fs_drc_slot *s;
	struct fs_wire_xid xid;
	int err;

	memcpy(&xid, req, sizeof(xid));
	s = fs_drc_find(&p->drc, &xid, (u16)op->opcode);
	if (s) {
		memcpy(reply, s->reply, s->reply_len);
		*reply_len = s->status ? 0 : s->reply_len;
		return s->status;
	}
	err = op->fn(p, req, req_len, reply, reply_len);
	if (!err && (op->flags & FS_OP_SYNC))
		err = fs_commit(p->fs);
	p->applied++;
	if (err)
		*reply_len = 0;
	fs_drc_put(&p->drc, &xid, (u16)op->opcode, err, reply, *reply_len);
	return err;
}

int fs_proto_handle(struct fs_proto *p, u32 opcode, const void *req,
		    u32 req_len, void *reply, u32 *reply_len)
{
	const struct fs_proto_op *op = find_op(opcode);

	*reply_len = 0;
	if (!op)
		return -EOPNOTSUPP;
	if (req_len < op->req_size || req_len > RPC_MAX_BODY ||
	    (!(op->flags & FS_OP_TRAILING) && req_len != op->req_size))
		return -EBADMSG;
	if (op->flags & FS_OP_CHANGE)
		return run_change(p, op, req, req_len, reply, reply_len);
	return op->fn(p, req, req_len, reply, reply_len);
}
