/*
 * The file protocol between a pMonitor and an sMonitor: message bodies
 * carried after a struct rpc_hdr (tessera/wire/rpc.h). Stateless, as
 * NFS: every request names its file by a handle (inode number and
 * generation), so an sMonitor restart loses no client state; a handle to
 * a file that is gone gives -ESTALE in rpc_hdr.status.
 *
 * Opcodes: this header proposes the range 0x0300-0x03ff for P2S_ (to be
 * listed in enum rpc_opcode; RPC_ uses 1-2). Fixed-width little-endian
 * fields, sizes checked at compile time, pads must be zero. A request
 * body is exactly its struct, except LOOKUP, whose path follows it
 * (len = sizeof(struct p2s_lookup_msg) + path_len). Replies with status
 * 0 carry the reply struct, READ/READDIR/READLINK followed by their data;
 * error replies have an empty body.
 */
#ifndef TESSERA_WIRE_FS_H
#define TESSERA_WIRE_FS_H

#include <tessera/types.h>

enum p2s_opcode {
	P2S_FIRST = 0x0300,
	P2S_LOOKUP = P2S_FIRST,
	P2S_GETATTR = 0x0301,
	P2S_READ = 0x0302,
	P2S_READDIR = 0x0303,
	P2S_READLINK = 0x0304,
	P2S_LAST = 0x03ff, /* end of the P2S_ range */
};

struct fs_wire_handle {
	u32 ino;
	u32 gen;
};
_Static_assert(sizeof(struct fs_wire_handle) == 8, "fs_wire_handle");

struct fs_wire_attr {
	u64 ino;
	u64 size;
	u64 blocks; /* 512-byte units */
	s64 atime, mtime, ctime;
	u32 mode; /* Linux S_IF* and permission bits */
	u32 nlink;
	u32 uid;
	u32 gid;
	u32 gen;
	u32 blksize;
	u32 rdev;
	u32 pad;
};
_Static_assert(sizeof(struct fs_wire_attr) == 80, "fs_wire_attr");

#define P2S_LOOKUP_NOFOLLOW 1u /* do not follow a final symlink */

/* LOOKUP: path (path_len bytes, no NUL) from dir, or from the root if it
 * starts with '/'. */
struct p2s_lookup_msg {
	struct fs_wire_handle dir;
	u32 flags; /* P2S_LOOKUP_* */
	u32 path_len;
};
_Static_assert(sizeof(struct p2s_lookup_msg) == 16, "p2s_lookup_msg");
#define P2S_LOOKUP_PATH_MAX (RPC_MAX_BODY - sizeof(struct p2s_lookup_msg))

struct p2s_lookup_reply {
	struct fs_wire_handle h;
	struct fs_wire_attr attr;
};
_Static_assert(sizeof(struct p2s_lookup_reply) == 88, "p2s_lookup_reply");

struct p2s_getattr_msg {
	struct fs_wire_handle h;
};
_Static_assert(sizeof(struct p2s_getattr_msg) == 8, "p2s_getattr_msg");

struct p2s_getattr_reply {
	struct fs_wire_attr attr;
};
_Static_assert(sizeof(struct p2s_getattr_reply) == 80, "p2s_getattr_reply");

/* READ: up to len bytes at offset; the reply's len bytes follow it. */
struct p2s_read_msg {
	struct fs_wire_handle h;
	u64 offset;
	u32 len;
	u32 pad;
};
_Static_assert(sizeof(struct p2s_read_msg) == 24, "p2s_read_msg");

struct p2s_read_reply {
	u32 len;
	u32 eof; /* 1 if the read reached the end of the file */
};
_Static_assert(sizeof(struct p2s_read_reply) == 8, "p2s_read_reply");
#define P2S_READ_MAX (RPC_MAX_BODY - sizeof(struct p2s_read_reply))

/* READDIR: entries from cookie (0: the start), packed into at most
 * max_bytes after the reply struct. */
struct p2s_readdir_msg {
	struct fs_wire_handle h;
	u64 cookie;
	u32 max_bytes;
	u32 pad;
};
_Static_assert(sizeof(struct p2s_readdir_msg) == 24, "p2s_readdir_msg");

struct p2s_readdir_reply {
	u64 next_cookie; /* resume here; FS_COOKIE_EOF (all ones) at the end */
	u32 count; /* entries that follow */
	u32 bytes; /* their total size */
};
_Static_assert(sizeof(struct p2s_readdir_reply) == 16, "p2s_readdir_reply");

/* One entry: this header, then name_len bytes of name, padded so that
 * rec_len (a multiple of 8) reaches the next entry. */
struct fs_wire_dirent {
	u64 ino;
	u64 next_cookie; /* resumes the listing after this entry */
	u16 rec_len;
	u8 name_len;
	u8 type; /* Linux DT_* */
	u32 pad;
};
_Static_assert(sizeof(struct fs_wire_dirent) == 24, "fs_wire_dirent");
#define FS_WIRE_DIRENT_LEN(name_len) \
	ALIGN_UP(sizeof(struct fs_wire_dirent) + (name_len), 8)

struct p2s_readlink_msg {
	struct fs_wire_handle h;
};
_Static_assert(sizeof(struct p2s_readlink_msg) == 8, "p2s_readlink_msg");

/* READLINK: the target's len bytes follow; -ENAMETOOLONG if it does not
 * fit a message. */
struct p2s_readlink_reply {
	u32 len;
	u32 pad;
};
_Static_assert(sizeof(struct p2s_readlink_reply) == 8, "p2s_readlink_reply");

/* X(name, value, request body bounds, reply body bounds), spliced into
 * RPC_OPCODES (wire/rpc.h). Variable parts (paths, data, entries) follow
 * the fixed structs. */
#define FS_OPCODES(X)                                                       \
	X(P2S_LOOKUP_OP, P2S_LOOKUP, sizeof(struct p2s_lookup_msg) + 1,     \
	  RPC_MAX_BODY, RPC_FIXED(struct p2s_lookup_reply))                 \
	X(P2S_GETATTR_OP, P2S_GETATTR, RPC_FIXED(struct p2s_getattr_msg),   \
	  RPC_FIXED(struct p2s_getattr_reply))                              \
	X(P2S_READ_OP, P2S_READ, RPC_FIXED(struct p2s_read_msg),            \
	  sizeof(struct p2s_read_reply), RPC_MAX_BODY)                      \
	X(P2S_READDIR_OP, P2S_READDIR, RPC_FIXED(struct p2s_readdir_msg),   \
	  sizeof(struct p2s_readdir_reply), RPC_MAX_BODY)                   \
	X(P2S_READLINK_OP, P2S_READLINK, RPC_FIXED(struct p2s_readlink_msg), \
	  sizeof(struct p2s_readlink_reply), RPC_MAX_BODY)

/* Last: rpc.h splices this protocol's opcodes into RPC_OPCODES. */
#include <tessera/wire/rpc.h>

#endif
