/*
 * The production file backend: a client of one sMonitor's file protocol
 * (tessera/wire/fs.h) over RPC. It implements struct pfile_ops, so the
 * process code uses it like any other file backend:
 *
 *	struct pfile_backend files;
 *	int err = pfile_rpc_create(NULL, storage_ip, &files);
 *	...
 *	err = files.ops->lookup(files.be, "/tests/hello-musl", &h, &attr);
 *
 * Calls go over the monitor's shared connection to the sMonitor
 * (tessera/cluster/peer.h), made at the first call and made again after the
 * sMonitor or the network drops it (the protocol is stateless, so a call
 * that failed with -ECONNRESET is sent once more on a new connection).
 * Long reads are split into P2S_READ calls of up to P2S_READ_MAX bytes.
 * Transport failures (no endpoint, no connection, timeouts, malformed
 * replies) are -EIO; the sMonitor's own errors (-ENOENT, -ESTALE, ...)
 * pass through. Any number of threads may call at once; ops sleep.
 */
#ifndef PROCESSOR_BACKEND_FILE_RPC_H
#define PROCESSOR_BACKEND_FILE_RPC_H

#include <tessera/types.h>
#include <tessera/wire/fs.h>

#include "processor/backend/file_backend.h"

struct rpc_ep;

/* A backend for the sMonitor at storage_ip (host byte order). ep must
 * be NULL: calls use the monitor's boot endpoint (net_rpc_ep()), the one
 * the shared connections live on; -EINVAL otherwise. Nothing is sent
 * yet. 0, -EINVAL or -ENOMEM. */
int pfile_rpc_create(struct rpc_ep *ep, u32 storage_ip, struct pfile_backend *out);
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

#endif
