/*
 * The file protocol's calls that change the volume: CREATE, MKDIR,
 * SYMLINK, LINK, UNLINK, RENAME, SETATTR (committed before the answer)
 * and WRITE (unstable until COMMIT). Every one starts with its request id
 * (the dispatcher's reply cache reads it); names and data follow the
 * fixed struct, their lengths checked against the body's here.
 *
 * Locking: none; see fs_proto.h.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "storage/fs_proto_ops.h"

static const char *tail(const void *req, size_t fixed)
{
	return (const char *)req + fixed;
}

static int handle_p2s_create(struct fs_proto *p, const void *req, u32 req_len,
			     u8 *reply, u32 *reply_len)
{
	struct p2s_create_msg m;
	struct fs_owner who;
	struct fs_handle h;
	bool created;
	int err;

	memcpy(&m, req, sizeof(m));
	if (m.name_len != req_len - sizeof(m))
		return -EBADMSG;
	if (m.flags & ~(P2S_CREATE_EXCL | P2S_CREATE_TRUNC))
		return -EINVAL;
	who = (struct fs_owner){ m.uid, m.gid };
	err = fs_create(p->fs, fs_proto_handle_of(p->fs, m.dir),
			tail(req, sizeof(m)), m.name_len, m.mode, m.rdev,
			(m.flags & P2S_CREATE_EXCL ? FS_CREATE_EXCL : 0) |
			(m.flags & P2S_CREATE_TRUNC ? FS_CREATE_TRUNC : 0),
			&who, &h, &created);
	return err ? err : fs_proto_entry(p->fs, h, created, reply, reply_len);
}

static int handle_p2s_mkdir(struct fs_proto *p, const void *req, u32 req_len,
			    u8 *reply, u32 *reply_len)
{
	struct p2s_mkdir_msg m;
	struct fs_owner who;
	struct fs_handle h;
	int err;

	memcpy(&m, req, sizeof(m));
	if (m.name_len != req_len - sizeof(m))
		return -EBADMSG;
	who = (struct fs_owner){ m.uid, m.gid };
	err = fs_mkdir(p->fs, fs_proto_handle_of(p->fs, m.dir),
		       tail(req, sizeof(m)), m.name_len, m.mode, &who, &h);
	return err ? err : fs_proto_entry(p->fs, h, 1, reply, reply_len);
}

static int handle_p2s_symlink(struct fs_proto *p, const void *req,
			      u32 req_len, u8 *reply, u32 *reply_len)
{
	struct p2s_symlink_msg m;
	struct fs_owner who;
	struct fs_handle h;
	int err;

	memcpy(&m, req, sizeof(m));
	if ((u64)m.name_len + m.target_len != req_len - sizeof(m))
		return -EBADMSG;
	who = (struct fs_owner){ m.uid, m.gid };
	err = fs_symlink(p->fs, fs_proto_handle_of(p->fs, m.dir),
			 tail(req, sizeof(m)), m.name_len,
			 tail(req, sizeof(m) + m.name_len), m.target_len, &who,
			 &h);
	return err ? err : fs_proto_entry(p->fs, h, 1, reply, reply_len);
}

static int handle_p2s_link(struct fs_proto *p, const void *req, u32 req_len,
			   u8 *reply, u32 *reply_len)
{
	struct p2s_link_msg m;
	struct fs_handle h;
	int err;

	memcpy(&m, req, sizeof(m));
	if (m.name_len != req_len - sizeof(m) || m.pad)
		return -EBADMSG;
	h = fs_proto_handle_of(p->fs, m.h);
	err = fs_link(p->fs, h, fs_proto_handle_of(p->fs, m.dir),
		      tail(req, sizeof(m)), m.name_len);
	return err ? err : fs_proto_attr_reply(p->fs, h, reply, reply_len);
}

static int handle_p2s_unlink(struct fs_proto *p, const void *req, u32 req_len,
			     u8 *reply, u32 *reply_len)
{
	struct p2s_unlink_msg m;

	memcpy(&m, req, sizeof(m));
	if (m.name_len != req_len - sizeof(m))
		return -EBADMSG;
	if (m.flags & ~P2S_UNLINK_DIR)
		return -EINVAL;
	return fs_unlink(p->fs, fs_proto_handle_of(p->fs, m.dir),
			 tail(req, sizeof(m)), m.name_len,
			 m.flags & P2S_UNLINK_DIR ? FS_UNLINK_DIR : 0);
}

static int handle_p2s_rename(struct fs_proto *p, const void *req, u32 req_len,
			     u8 *reply, u32 *reply_len)
{
	struct p2s_rename_msg m;
	u32 flags;

	memcpy(&m, req, sizeof(m));
	if ((u64)m.sname_len + m.dname_len != req_len - sizeof(m) || m.pad)
		return -EBADMSG;
	if (m.flags & ~(P2S_RENAME_NOREPLACE | P2S_RENAME_EXCHANGE))
		return -EINVAL;
	flags = (m.flags & P2S_RENAME_NOREPLACE ? FS_RENAME_NOREPLACE : 0) |
		(m.flags & P2S_RENAME_EXCHANGE ? FS_RENAME_EXCHANGE : 0);
	return fs_rename(p->fs, fs_proto_handle_of(p->fs, m.sdir),
			 tail(req, sizeof(m)), m.sname_len,
			 fs_proto_handle_of(p->fs, m.ddir),
			 tail(req, sizeof(m) + m.sname_len), m.dname_len, flags);
}

/* The wire's SETATTR bits are the file system's. */
_Static_assert(P2S_SET_MODE == FS_SET_MODE && P2S_SET_SIZE == FS_SET_SIZE &&
	       P2S_SET_MTIME_NOW == FS_SET_MTIME_NOW, "setattr bits");

static int handle_p2s_setattr(struct fs_proto *p, const void *req,
			      u32 req_len, u8 *reply, u32 *reply_len)
{
	struct p2s_setattr_msg m;
	struct fs_setattr sa;
	struct fs_handle h;
	int err;

	memcpy(&m, req, sizeof(m));
	sa = (struct fs_setattr){ .valid = m.valid, .mode = m.mode,
				  .uid = m.uid, .gid = m.gid, .size = m.size,
				  .atime_ns = m.atime_ns, .mtime_ns = m.mtime_ns };
	h = fs_proto_handle_of(p->fs, m.h);
	err = fs_setattr(p->fs, h, &sa);
	return err ? err : fs_proto_attr_reply(p->fs, h, reply, reply_len);
}

static int handle_p2s_write(struct fs_proto *p, const void *req, u32 req_len,
			    u8 *reply, u32 *reply_len)
{
	struct p2s_write_msg m;
	struct p2s_write_reply r = { .verf = p->verf };
	struct fs_handle h;
	struct fs_attr a;
	int err;

	memcpy(&m, req, sizeof(m));
	if (m.len != req_len - sizeof(m))
		return -EBADMSG;
	if (m.flags & ~P2S_WRITE_APPEND)
		return -EINVAL;
	h = fs_proto_handle_of(p->fs, m.h);
	err = fs_write(p->fs, h, m.offset, tail(req, sizeof(m)), m.len,
		       m.flags & P2S_WRITE_APPEND ? FS_WRITE_APPEND : 0, &r.len,
		       &r.at);
	if (!err)
		err = fs_getattr(p->fs, h, &a);
	if (err)
		return err;
	fs_proto_attr(&r.attr, &a);
	memcpy(reply, &r, sizeof(r));
	*reply_len = sizeof(r);
	return 0;
}

#define CHANGE(code, type, flags, fn) \
	{ code, sizeof(type), FS_OP_CHANGE | (flags), fn }
#define NAMED (FS_OP_TRAILING | FS_OP_SYNC)

const struct fs_proto_op fs_proto_write_ops[] = {
	CHANGE(P2S_CREATE, struct p2s_create_msg, NAMED, handle_p2s_create),
	CHANGE(P2S_MKDIR, struct p2s_mkdir_msg, NAMED, handle_p2s_mkdir),
	CHANGE(P2S_SYMLINK, struct p2s_symlink_msg, NAMED, handle_p2s_symlink),
	CHANGE(P2S_LINK, struct p2s_link_msg, NAMED, handle_p2s_link),
	CHANGE(P2S_UNLINK, struct p2s_unlink_msg, NAMED, handle_p2s_unlink),
	CHANGE(P2S_RENAME, struct p2s_rename_msg, NAMED, handle_p2s_rename),
	CHANGE(P2S_SETATTR, struct p2s_setattr_msg, FS_OP_SYNC,
	       handle_p2s_setattr),
	CHANGE(P2S_WRITE, struct p2s_write_msg, FS_OP_TRAILING,
	       handle_p2s_write),
};

const u32 fs_proto_nwrite_ops = ARRAY_SIZE(fs_proto_write_ops);
