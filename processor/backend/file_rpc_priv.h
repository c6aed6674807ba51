/*
 * The file client's state and what its two files share (file_rpc.c: the
 * transport and the calls that read; file_rpc_write.c: the calls that
 * change files, and the writes kept for commit).
 *
 * Locking: ip, root and client are set at creation and read-only after;
 * seq and retries are atomic; lock (mutex) guards the redo list and is
 * held across each WRITE and COMMIT, so a commit sees every write that
 * returned before it.
 */
#ifndef PROCESSOR_BACKEND_FILE_RPC_PRIV_H
#define PROCESSOR_BACKEND_FILE_RPC_PRIV_H

#include <tessera/mutex.h>

#include "processor/backend/file_rpc.h"

#define PFILE_RPC_REDO_BYTES (16ull << 20) /* written, not yet committed */

/* A write the sMonitor acknowledged but may not have on disk yet. */
struct pfile_redo {
	struct pfile_redo *next;
	struct fs_wire_handle h;
	u64 off;
	u64 verf; /* the boot verifier of its reply */
	u32 len;
	u32 pad;
	u8 data[];
};

struct pfile_rpc {
	u32 ip;
	struct fs_wire_handle root;
	u64 client; /* request ids: random, never 0 */
	u64 seq;
	u64 retries; /* calls sent again after a transport failure */
	struct mutex lock;
	struct pfile_redo *redo, **redo_tail; /* [lock] oldest first */
	u64 redo_bytes;                       /* [lock] */
};

extern const struct pfile_ops pfile_rpc_ops;

/* One request: the reply's length or the sMonitor's -errno, sent again
 * after transport failures until PFILE_RPC_RETRY_NS; -EIO after that. */
int pfile_rpc_call(struct pfile_rpc *c, u16 opcode, const void *req, u32 len,
		   void *reply, u32 cap);
/* Check and unpack entry and attribute replies of res bytes. */
int pfile_rpc_entry(int res, const struct p2s_entry_reply *r, struct pfile_handle *h,
		    struct pfile_attr *attr);
int pfile_rpc_attr(int res, const struct p2s_attr_reply *r, struct pfile_attr *attr);
void pfile_rpc_redo_drop(struct pfile_rpc *c);

/* file_rpc_write.c: the pfile_ops that change files. */
int pfile_rpc_create_file(void *be, const struct pfile_handle *dir, const char *name,
			  u32 mode, u32 rdev, u32 flags, struct pfile_handle *h,
			  struct pfile_attr *attr, bool *created);
int pfile_rpc_mkdir(void *be, const struct pfile_handle *dir, const char *name,
		    u32 mode, struct pfile_handle *h, struct pfile_attr *attr);
int pfile_rpc_symlink(void *be, const struct pfile_handle *dir, const char *name,
		      const char *target, struct pfile_handle *h, struct pfile_attr *attr);
int pfile_rpc_link(void *be, const struct pfile_handle *h, const struct pfile_handle *dir,
		   const char *name);
int pfile_rpc_unlink(void *be, const struct pfile_handle *dir, const char *name, u32 flags);
int pfile_rpc_rename(void *be, const struct pfile_handle *sdir, const char *sname,
		     const struct pfile_handle *ddir, const char *dname, u32 flags);
int pfile_rpc_setattr(void *be, const struct pfile_handle *h, const struct pfile_setattr *sa,
		      struct pfile_attr *attr);
long pfile_rpc_write(void *be, const struct pfile_handle *h, u64 off, const void *buf,
		     u32 len, u32 flags, struct pfile_attr *attr);
int pfile_rpc_commit(void *be, u32 flags);

#endif
