/*
 * The file protocol between a pMonitor (or a manager) and an sMonitor:
 * message bodies carried after a struct rpc_hdr (tessera/wire/rpc.h).
 *
 * Stateless, as NFS: every request names its file by a handle (inode
 * number and generation), so an sMonitor restart loses no client state; a
 * handle to a file that is gone gives -ESTALE in rpc_hdr.status.
 *
 * Durability, as NFSv3: every call that changes names or attributes
 * (CREATE, MKDIR, SYMLINK, LINK, UNLINK, RENAME, SETATTR) is on disk
 * before its reply, so a client that got the reply can count on it across
 * a crash of the sMonitor. WRITE is unstable: the reply says the data is
 * in the file, COMMIT makes every write so far durable. Both replies carry
 * the server's boot verifier; a client keeps written data until a COMMIT
 * with the verifier of its WRITEs returns, and writes it again if the
 * verifier changed (the sMonitor restarted and may have lost it).
 *
 * Retries: calls that change something carry a request id (struct
 * fs_wire_xid: a client id unique per client boot, and a sequence number
 * per call). The sMonitor remembers the replies of recent ids, so a call
 * retried after a timeout is applied once and gets the first reply.
 *
 * Opcodes: 0x0300-0x03ff (P2S_). Fixed-width little-endian fields, sizes
 * checked at compile time, pads must be zero. Names (one path component,
 * no NUL) and paths follow their fixed structs; a body is exactly its
 * struct plus the lengths it declares. Replies with status 0 carry the
 * reply struct (READ, READDIR, READLINK followed by their data); error
 * replies have an empty body.
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
	P2S_CREATE = 0x0305,
	P2S_MKDIR = 0x0306,
	P2S_SYMLINK = 0x0307,
	P2S_LINK = 0x0308,
	P2S_UNLINK = 0x0309,
	P2S_RENAME = 0x030a,
	P2S_SETATTR = 0x030b,
	P2S_WRITE = 0x030c,
	P2S_COMMIT = 0x030d,
	P2S_STATFS = 0x030e,
	P2S_LAST = 0x03ff, /* end of the P2S_ range */
};

#define FS_WIRE_NAME_MAX 255
#define FS_WIRE_PATH_MAX 4095 /* bytes, without the NUL */

struct fs_wire_handle {
	u32 ino;
	u32 gen;
};
_Static_assert(sizeof(struct fs_wire_handle) == 8, "fs_wire_handle");

/* A call's identity for the reply cache: client (random per client boot,
 * never 0) and seq (increasing per call of that client). */
struct fs_wire_xid {
	u64 client;
	u64 seq;
};
_Static_assert(sizeof(struct fs_wire_xid) == 16, "fs_wire_xid");

struct fs_wire_attr {
	u64 ino;
	u64 size;
	u64 blocks; /* 512-byte units */
	s64 atime, mtime, ctime; /* seconds since 1970 */
	u32 atime_ns, mtime_ns, ctime_ns;
	u32 mode; /* Linux S_IF* and permission bits */
	u32 nlink;
	u32 uid;
	u32 gid;
	u32 gen;
	u32 blksize;
	u32 rdev; /* Linux dev_t */
};
_Static_assert(sizeof(struct fs_wire_attr) == 88, "fs_wire_attr");

#define P2S_LOOKUP_NOFOLLOW 1u /* do not follow a final symlink */

/* LOOKUP: path (path_len bytes) from dir, or from root if it starts with
 * '/'. root is the caller's root directory (a vNode's): absolute symlinks
 * start there and its ".." is itself; zero means the volume's root. */
struct p2s_lookup_msg {
	struct fs_wire_handle root;
	struct fs_wire_handle dir;
	u32 flags; /* P2S_LOOKUP_* */
	u32 path_len;
};
_Static_assert(sizeof(struct p2s_lookup_msg) == 24, "p2s_lookup_msg");

/* Replies that name a file: LOOKUP, CREATE, MKDIR, SYMLINK. */
struct p2s_entry_reply {
	struct fs_wire_handle h;
	struct fs_wire_attr attr;
	u32 created; /* CREATE: 1 if the file is new */
	u32 pad;
};
_Static_assert(sizeof(struct p2s_entry_reply) == 104, "p2s_entry_reply");

struct p2s_getattr_msg {
	struct fs_wire_handle h;
};
_Static_assert(sizeof(struct p2s_getattr_msg) == 8, "p2s_getattr_msg");

/* GETATTR, LINK, SETATTR. */
struct p2s_attr_reply {
	struct fs_wire_attr attr;
};
_Static_assert(sizeof(struct p2s_attr_reply) == 88, "p2s_attr_reply");

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

#define P2S_CREATE_EXCL 1u /* -EEXIST if the name exists */
#define P2S_CREATE_TRUNC 2u /* an existing regular file is emptied */

/* CREATE: a regular file, FIFO, socket or device node (mode's type) named
 * by the name_len bytes that follow; an existing name is returned as is
 * (created = 0) unless P2S_CREATE_EXCL. */
struct p2s_create_msg {
	struct fs_wire_xid xid;
	struct fs_wire_handle dir;
	u32 mode;
	u32 rdev;
	u32 flags; /* P2S_CREATE_* */
	u32 uid, gid;
	u32 name_len;
};
_Static_assert(sizeof(struct p2s_create_msg) == 48, "p2s_create_msg");

/* MKDIR: the name follows. */
struct p2s_mkdir_msg {
	struct fs_wire_xid xid;
	struct fs_wire_handle dir;
	u32 mode;
	u32 uid, gid;
	u32 name_len;
};
_Static_assert(sizeof(struct p2s_mkdir_msg) == 40, "p2s_mkdir_msg");

/* SYMLINK: the name, then the target. */
struct p2s_symlink_msg {
	struct fs_wire_xid xid;
	struct fs_wire_handle dir;
	u32 uid, gid;
	u32 name_len;
	u32 target_len;
};
_Static_assert(sizeof(struct p2s_symlink_msg) == 40, "p2s_symlink_msg");

/* LINK: a new name (it follows) in dir for h. */
struct p2s_link_msg {
	struct fs_wire_xid xid;
	struct fs_wire_handle h;
	struct fs_wire_handle dir;
	u32 name_len;
	u32 pad;
};
_Static_assert(sizeof(struct p2s_link_msg) == 40, "p2s_link_msg");

#define P2S_UNLINK_DIR 1u /* rmdir: an empty directory */

/* UNLINK: the name follows. Empty reply. */
struct p2s_unlink_msg {
	struct fs_wire_xid xid;
	struct fs_wire_handle dir;
	u32 flags; /* P2S_UNLINK_* */
	u32 name_len;
};
_Static_assert(sizeof(struct p2s_unlink_msg) == 32, "p2s_unlink_msg");

#define P2S_RENAME_NOREPLACE 1u
#define P2S_RENAME_EXCHANGE 2u

/* RENAME: the source name, then the target name. Empty reply. */
struct p2s_rename_msg {
	struct fs_wire_xid xid;
	struct fs_wire_handle sdir;
	struct fs_wire_handle ddir;
	u32 flags; /* P2S_RENAME_* */
	u32 sname_len;
	u32 dname_len;
	u32 pad;
};
_Static_assert(sizeof(struct p2s_rename_msg) == 48, "p2s_rename_msg");

#define P2S_SET_MODE 1u
#define P2S_SET_UID 2u
#define P2S_SET_GID 4u
#define P2S_SET_SIZE 8u
#define P2S_SET_ATIME 16u
#define P2S_SET_MTIME 32u
#define P2S_SET_ATIME_NOW 64u
#define P2S_SET_MTIME_NOW 128u

/* SETATTR: the fields named in valid; times in ns since 1970. */
struct p2s_setattr_msg {
	struct fs_wire_xid xid;
	struct fs_wire_handle h;
	u32 valid; /* P2S_SET_* */
	u32 mode;
	u32 uid, gid;
	u64 size;
	s64 atime_ns, mtime_ns;
};
_Static_assert(sizeof(struct p2s_setattr_msg) == 64, "p2s_setattr_msg");

#define P2S_WRITE_APPEND 1u /* at the end of the file */

/* WRITE: len bytes at offset; they follow the struct. */
struct p2s_write_msg {
	struct fs_wire_xid xid;
	struct fs_wire_handle h;
	u64 offset;
	u32 len;
	u32 flags; /* P2S_WRITE_* */
};
_Static_assert(sizeof(struct p2s_write_msg) == 40, "p2s_write_msg");
#define P2S_WRITE_MAX (RPC_MAX_BODY - sizeof(struct p2s_write_msg))

/* len bytes went in at offset at (short only when the disk is full); the
 * file's attributes after the write. */
struct p2s_write_reply {
	u64 verf; /* the server's boot verifier */
	u64 at;
	u32 len;
	u32 pad;
	struct fs_wire_attr attr;
};
_Static_assert(sizeof(struct p2s_write_reply) == 112, "p2s_write_reply");

#define P2S_COMMIT_SETTLE 1u /* sync(2): also leave the volume clean */

/* COMMIT: make every change so far durable (fsync, fdatasync, sync); with
 * P2S_COMMIT_SETTLE the volume is also marked clean on disk, as if
 * unmounted, until the next change. */
struct p2s_commit_msg {
	u32 flags; /* P2S_COMMIT_* */
	u32 pad;
};
_Static_assert(sizeof(struct p2s_commit_msg) == 8, "p2s_commit_msg");

struct p2s_commit_reply {
	u64 verf;
};
_Static_assert(sizeof(struct p2s_commit_reply) == 8, "p2s_commit_reply");

struct p2s_statfs_msg {
	u64 reserved;
};
_Static_assert(sizeof(struct p2s_statfs_msg) == 8, "p2s_statfs_msg");

struct p2s_statfs_reply {
	u64 blocks, bfree, bavail; /* in bsize units */
	u64 files, ffree;
	u64 fsid;
	u32 bsize;
	u32 name_max;
	u32 magic;
	u32 pad;
};
_Static_assert(sizeof(struct p2s_statfs_reply) == 64, "p2s_statfs_reply");

/* X(name, value, request body bounds, reply body bounds), spliced into
 * RPC_OPCODES (wire/rpc.h). Variable parts (names, paths, data, entries)
 * follow the fixed structs. */
#define FS_NAMED(type) sizeof(type) + 1, RPC_MAX_BODY
#define FS_OPCODES(X)                                                        \
	X(P2S_LOOKUP_OP, P2S_LOOKUP, FS_NAMED(struct p2s_lookup_msg),         \
	  RPC_FIXED(struct p2s_entry_reply))                                 \
	X(P2S_GETATTR_OP, P2S_GETATTR, RPC_FIXED(struct p2s_getattr_msg),    \
	  RPC_FIXED(struct p2s_attr_reply))                                  \
	X(P2S_READ_OP, P2S_READ, RPC_FIXED(struct p2s_read_msg),             \
	  sizeof(struct p2s_read_reply), RPC_MAX_BODY)                       \
	X(P2S_READDIR_OP, P2S_READDIR, RPC_FIXED(struct p2s_readdir_msg),    \
	  sizeof(struct p2s_readdir_reply), RPC_MAX_BODY)                    \
	X(P2S_READLINK_OP, P2S_READLINK, RPC_FIXED(struct p2s_readlink_msg),  \
	  sizeof(struct p2s_readlink_reply), RPC_MAX_BODY)                   \
	X(P2S_CREATE_OP, P2S_CREATE, FS_NAMED(struct p2s_create_msg),         \
	  RPC_FIXED(struct p2s_entry_reply))                                 \
	X(P2S_MKDIR_OP, P2S_MKDIR, FS_NAMED(struct p2s_mkdir_msg),            \
	  RPC_FIXED(struct p2s_entry_reply))                                 \
	X(P2S_SYMLINK_OP, P2S_SYMLINK, FS_NAMED(struct p2s_symlink_msg),      \
	  RPC_FIXED(struct p2s_entry_reply))                                 \
	X(P2S_LINK_OP, P2S_LINK, FS_NAMED(struct p2s_link_msg),               \
	  RPC_FIXED(struct p2s_attr_reply))                                  \
	X(P2S_UNLINK_OP, P2S_UNLINK, FS_NAMED(struct p2s_unlink_msg), 0, 0)   \
	X(P2S_RENAME_OP, P2S_RENAME, FS_NAMED(struct p2s_rename_msg), 0, 0)   \
	X(P2S_SETATTR_OP, P2S_SETATTR, RPC_FIXED(struct p2s_setattr_msg),    \
	  RPC_FIXED(struct p2s_attr_reply))                                  \
	X(P2S_WRITE_OP, P2S_WRITE, sizeof(struct p2s_write_msg),             \
	  RPC_MAX_BODY, RPC_FIXED(struct p2s_write_reply))                   \
	X(P2S_COMMIT_OP, P2S_COMMIT, RPC_FIXED(struct p2s_commit_msg),       \
	  RPC_FIXED(struct p2s_commit_reply))                                \
	X(P2S_STATFS_OP, P2S_STATFS, RPC_FIXED(struct p2s_statfs_msg),       \
	  RPC_FIXED(struct p2s_statfs_reply))

/* Last: rpc.h splices this protocol's opcodes into RPC_OPCODES. */
#include <tessera/wire/rpc.h>

#endif
