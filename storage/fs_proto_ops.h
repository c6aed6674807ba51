/*
 * What the file protocol's two handler files share (fs_proto.c: the
 * dispatcher and the calls that read; fs_proto_write.c: the calls that
 * change the volume).
 */
#ifndef STORAGE_FS_PROTO_OPS_H
#define STORAGE_FS_PROTO_OPS_H

#include "storage/fs_proto.h"

#define FS_OP_TRAILING 1u /* names, a path or data follow the struct */
#define FS_OP_CHANGE 2u /* changes the volume: request id, reply cache */
#define FS_OP_SYNC 4u /* committed before the reply */

struct fs_proto_op {
	u32 opcode;
	u32 req_size; /* the fixed part of the body */
	u32 flags; /* FS_OP_* */
	int (*fn)(struct fs_proto *p, const void *req, u32 req_len, u8 *reply,
		  u32 *reply_len);
};

extern const struct fs_proto_op fs_proto_write_ops[];
extern const u32 fs_proto_nwrite_ops;

/* A wire handle as the file system's; zero names the volume's root. */
struct fs_handle fs_proto_handle_of(struct fs *fs, struct fs_wire_handle w);
void fs_proto_attr(struct fs_wire_attr *w, const struct fs_attr *a);
/* Reply bodies: p2s_entry_reply for h, p2s_attr_reply for h. */
int fs_proto_entry(struct fs *fs, struct fs_handle h, u32 created, u8 *reply,
		   u32 *reply_len);
int fs_proto_attr_reply(struct fs *fs, struct fs_handle h, u8 *reply,
			u32 *reply_len);

#endif
