/*
 * The server side of the file protocol (tessera/wire/fs.h), as pure
 * functions: decode a request body, check it, call the file system,
 * encode the reply body. The RPC layer supplies the bodies and sends the
 * status back in rpc_hdr.status.
 *
 * Locking: the caller holds the volume's lock across the call.
 */
#ifndef STORAGE_FS_PROTO_H
#define STORAGE_FS_PROTO_H

#include <tessera/fs.h>

/* Serve one request (opcode, req_len bytes at req) into reply, which has
 * room for RPC_MAX_BODY bytes; *reply_len is the reply body's size.
 * Returns the status: 0, or -errno from the file system, -EBADMSG for a
 * body of the wrong size, -EINVAL for bad fields, -EOPNOTSUPP for an
 * opcode this server does not know. */
int fs_proto_handle(struct fs *fs, u32 opcode, const void *req, u32 req_len,
		    void *reply, u32 *reply_len);

#endif
