/*
 * The production file backend: a client of one sMonitor's file protocol
 * (tessera/wire/fs.h) over RPC. It implements struct pfile_ops, so the
 * process code uses it like any other file backend:
 *
 *	struct pfile_backend files;
 *	int err = pfile_rpc_create(NULL, storage_ip, NULL, &files);
 *	...
 *	err = files.ops->lookup(files.be, "/tests/hello-musl", &h, &attr);
 *
 * Calls go over the monitor's shared connection to the sMonitor
 * (tessera/cluster/peer.h), made at the first call and made again after the
 * sMonitor or the network drops it. A call that meets a transport failure
 * (reset, timeout, no connection) is sent again, on a new connection, until
 * PFILE_RPC_RETRY_NS have passed: a restarted sMonitor answers it, so a
 * program keeps running across an sComponent restart. Calls that change
 * something carry a request id (a random client id per backend and a
 * sequence number), the same on every retry, so the sMonitor applies them
 * once. WRITE is unstable; commit writes again what the sMonitor may have
 * lost: writes since the last commit are kept (up to PFILE_RPC_REDO_BYTES)
 * and sent again if the commit's boot verifier is not theirs.
 *
 * Long reads and writes are split into calls of up to P2S_READ_MAX and
 * P2S_WRITE_MAX bytes. Transport failures past the retry time, and
 * malformed replies, are -EIO; the sMonitor's own errors (-ENOENT,
 * -ESTALE, ...) pass through. Any number of threads may call at once; ops
 * sleep.
 */
#ifndef PROCESSOR_BACKEND_FILE_RPC_H
#define PROCESSOR_BACKEND_FILE_RPC_H

#include <tessera/types.h>
#include <tessera/wire/fs.h>

#include "processor/backend/file_backend.h"

struct rpc_ep;

#define PFILE_RPC_RETRY_NS (90ull * 1000 * 1000 * 1000)

/* A backend for the sMonitor at storage_ip (host byte order) whose root
 * is the directory root (NULL: the volume's root; a vNode's own root,
 * tessera vnode create --root). ep must be NULL: calls use the monitor's
 * boot endpoint (net_rpc_ep()), the one the shared connections live on;
 * -EINVAL otherwise. Nothing is sent yet. 0, -EINVAL or -ENOMEM. */
int pfile_rpc_create(struct rpc_ep *ep, u32 storage_ip, const struct pfile_handle *root,
		     struct pfile_backend *out);
/* Free the backend; no call may be running. */
void pfile_rpc_destroy(struct pfile_backend *b);

/* Wire conversions (file_rpc_wire.c, pure, tested on the host). */

/* -ESTALE for an inode number the protocol cannot name. */
int pfile_rpc_handle_to_wire(const struct pfile_handle *h, struct fs_wire_handle *w);
void pfile_rpc_handle_from_wire(const struct fs_wire_handle *w, struct pfile_handle *h);
void pfile_rpc_attr_from_wire(const struct fs_wire_attr *w, struct pfile_attr *a);
/* Unpack a READDIR reply body of len bytes into up to max entries: the
 * count, or -EIO if the body is malformed. */
int pfile_rpc_dirents(const void *body, u32 len, struct pfile_dirent *ents, u32 max);
/* A name for a request: its length, or -EINVAL (empty, '/'), or
 * -ENAMETOOLONG. */
int pfile_rpc_name_len(const char *name);

#endif
