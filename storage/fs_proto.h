/*
 * The server side of the file protocol (tessera/wire/fs.h), as pure
 * functions over a mounted volume: decode a request body, check it, call
 * the file system, encode the reply body. The RPC layer supplies the
 * bodies and sends the status back in rpc_hdr.status.
 *
 * The reply cache (fs_drc.c) remembers the last FS_DRC_SLOTS replies of
 * calls that change something, by request id, so a retried call is
 * answered without being applied again. It is lost with the sMonitor;
 * since those calls are on disk before they are answered, only a call
 * whose reply was lost in the instant between its commit and the crash
 * can be applied twice after a restart (it then fails as a repeat would:
 * -EEXIST, -ENOENT).
 *
 * Locking: none; the caller holds the volume's lock across every call.
 */
#ifndef STORAGE_FS_PROTO_H
#define STORAGE_FS_PROTO_H

#include <tessera/fs.h>
#include <tessera/wire/fs.h>

#define FS_DRC_SLOTS 256
#define FS_DRC_REPLY_MAX 112 /* the largest reply of a cached call */

struct fs_drc_slot {
	u64 client, seq;
	u16 opcode;
	u16 reply_len;
	s32 status;
	u8 reply[FS_DRC_REPLY_MAX];
};

struct fs_drc {
	u32 next; /* slot replaced next (round robin) */
	u64 hits; /* calls answered from the cache */
	struct fs_drc_slot slot[FS_DRC_SLOTS];
};

struct fs_proto {
	struct fs *fs;
	u64 verf; /* boot verifier: differs between boots of the server */
	struct fs_drc drc;
	u64 applied; /* calls that changed something, applied */
};

/* Serve one request (opcode, req_len bytes at req) into reply, which has
 * room for RPC_MAX_BODY bytes; *reply_len is the reply body's size.
 * Returns the status: 0, or -errno from the file system, -EBADMSG for a
 * body of the wrong size, -EINVAL for bad fields, -EOPNOTSUPP for an
 * opcode this server does not know. */
int fs_proto_handle(struct fs_proto *p, u32 opcode, const void *req,
		    u32 req_len, void *reply, u32 *reply_len);

/* fs_drc.c: the cached answer to xid (status, reply) if there is one. */
const struct fs_drc_slot *fs_drc_find(struct fs_drc *d,
				      const struct fs_wire_xid *xid, u16 opcode);
void fs_drc_put(struct fs_drc *d, const struct fs_wire_xid *xid, u16 opcode,
		int status, const void *reply, u32 reply_len);

#endif
