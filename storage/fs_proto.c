/*
 * The file protocol's request handlers and the table that dispatches to
 * them. Requests are copied out of the (possibly unaligned) body before
 * use; every length and pad field is checked before the file system sees
 * the request. Replies never exceed RPC_MAX_BODY.
 *
 * Locking: none; see fs_proto.h.
 */
#include <tessera/errno.h>
#include <tessera/string.h>
#include <tessera/wire/fs.h>

#include "storage/fs_proto.h"

struct fs_proto_op {
	u32 opcode;
	u32 req_size; /* the fixed part of the body */
	bool trailing; /* variable-length data may follow it */
	int (*fn)(struct fs *fs, const void *req, u32 req_len, u8 *reply,
		  u32 *reply_len);
};

static struct fs_handle wire_handle(struct fs_wire_handle w)
{
	return (struct fs_handle){ w.ino, w.gen };
}

static void wire_attr(struct fs_wire_attr *w, const struct fs_attr *a)
{
	*w = (struct fs_wire_attr){
		.ino = a->ino, .size = a->size, .blocks = a->blocks,
		.atime = a->atime, .mtime = a->mtime, .ctime = a->ctime,
		.mode = a->mode, .nlink = a->nlink, .uid = a->uid,
		.gid = a->gid, .gen = a->gen, .blksize = a->blksize,
		.rdev = a->rdev,
	};
}

/* The path is copied, NUL-terminated, into the reply buffer, which is
 * free until the reply is written. */
static int handle_p2s_lookup(struct fs *fs, const void *req, u32 req_len,
			     u8 *reply, u32 *reply_len)
{
	struct p2s_lookup_msg m;
	struct p2s_lookup_reply r;
	struct fs_handle h;
	struct fs_attr a;
	int err;

	memcpy(&m, req, sizeof(m));
	if (m.path_len != req_len - sizeof(m))
		return -EBADMSG;
	if (m.flags & ~P2S_LOOKUP_NOFOLLOW)
		return -EINVAL;
	memcpy(reply, (const u8 *)req + sizeof(m), m.path_len);
	reply[m.path_len] = 0;
	if (strlen((char *)reply) != m.path_len)
		return -EINVAL;
	err = fs_lookup_at(fs, wire_handle(m.dir), (char *)reply,
			   m.flags & P2S_LOOKUP_NOFOLLOW ? FS_LOOKUP_NOFOLLOW : 0,
			   &h);
	if (!err)
		err = fs_getattr(fs, h, &a);
	if (err)
		return err;
	r.h = (struct fs_wire_handle){ h.ino, h.gen };
	wire_attr(&r.attr, &a);
	memcpy(reply, &r, sizeof(r));
	*reply_len = sizeof(r);
	return 0;
}

static int handle_p2s_getattr(struct fs *fs, const void *req, u32 req_len,
			      u8 *reply, u32 *reply_len)
{
	struct p2s_getattr_msg m;
	struct p2s_getattr_reply r;
	struct fs_attr a;
	int err;

	memcpy(&m, req, sizeof(m));
	err = fs_getattr(fs, wire_handle(m.h), &a);
	if (err)
		return err;
	wire_attr(&r.attr, &a);
	memcpy(reply, &r, sizeof(r));
	*reply_len = sizeof(r);
	return 0;
}

static int handle_p2s_read(struct fs *fs, const void *req, u32 req_len,
			   u8 *reply, u32 *reply_len)
{
	struct p2s_read_msg m;
	struct p2s_read_reply r = { 0 };
	struct fs_attr a;
	int err;

	memcpy(&m, req, sizeof(m));
	if (m.pad)
		return -EINVAL;
	err = fs_getattr(fs, wire_handle(m.h), &a);
	if (!err)
		err = fs_read(fs, wire_handle(m.h), m.offset, reply + sizeof(r),
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

static int handle_p2s_readdir(struct fs *fs, const void *req, u32 req_len,
			      u8 *reply, u32 *reply_len)
{
	struct p2s_readdir_msg m;
	struct p2s_readdir_reply r;
	struct readdir_pack p = { .buf = reply + sizeof(r) };
	int err;

	memcpy(&m, req, sizeof(m));
	if (m.pad)
		return -EINVAL;
	p.room = MIN(m.max_bytes, (u32)(RPC_MAX_BODY - sizeof(r)));
	err = fs_readdir(fs, wire_handle(m.h), m.cookie, pack_dirent, &p,
			 &r.next_cookie);
	if (err)
		return err;
	if (!p.count && r.next_cookie != FS_COOKIE_EOF)
		return -EMSGSIZE;
	r.count = p.count;
	r.bytes = p.used;
	memcpy(reply, &r, sizeof(r));
	*reply_len = sizeof(r) + p.used;
	return 0;
}

static int handle_p2s_readlink(struct fs *fs, const void *req, u32 req_len,
			       u8 *reply, u32 *reply_len)
{
	struct p2s_readlink_msg m;
	struct p2s_readlink_reply r = { 0 };
	u32 room = RPC_MAX_BODY - sizeof(r);
	struct fs_attr a;
	int err;

	memcpy(&m, req, sizeof(m));
	err = fs_getattr(fs, wire_handle(m.h), &a);
	if (err)
		return err;
	if ((a.mode & FS_S_IFMT) == FS_S_IFLNK && a.size > room)
		return -ENAMETOOLONG;
	err = fs_readlink(fs, wire_handle(m.h), (char *)reply + sizeof(r),
			  room, &r.len);
	if (err)
		return err;
	memcpy(reply, &r, sizeof(r));
	*reply_len = sizeof(r) + r.len;
	return 0;
}

static const struct fs_proto_op fs_proto_ops[] = {
	{ P2S_LOOKUP, sizeof(struct p2s_lookup_msg), true, handle_p2s_lookup },
	{ P2S_GETATTR, sizeof(struct p2s_getattr_msg), false,
	  handle_p2s_getattr },
	{ P2S_READ, sizeof(struct p2s_read_msg), false, handle_p2s_read },
	{ P2S_READDIR, sizeof(struct p2s_readdir_msg), false,
	  handle_p2s_readdir },
	{ P2S_READLINK, sizeof(struct p2s_readlink_msg), false,
	  handle_p2s_readlink },
};

int fs_proto_handle(struct fs *fs, u32 opcode, const void *req, u32 req_len,
		    void *reply, u32 *reply_len)
{
	*reply_len = 0;
	for (u32 i = 0; i < ARRAY_SIZE(fs_proto_ops); i++) {
		const struct fs_proto_op *op = &fs_proto_ops[i];

		if (op->opcode != opcode)
			continue;
		if (req_len < op->req_size || req_len > RPC_MAX_BODY ||
		    (!op->trailing && req_len != op->req_size))
			return -EBADMSG;
		return op->fn(fs, req, req_len, reply, reply_len);
	}
	return -EOPNOTSUPP;
}
