/*
 * tmpfs: a file backend (processor/backend/file_backend.h) whose files
 * live in the pMonitor's memory, for /tmp and /dev/shm; and the mount
 * table that puts such trees over the sMonitor's volume in a process's
 * view of the files.
 *
 * Every vNode has one tmpfs per mount point on each pComponent it runs
 * on, made when its first process arrives and kept while the pMonitor
 * runs (at most PMOUNT_VNODES vNodes): processes of one vNode on one pComponent share /tmp and
 * /dev/shm, and a later run in the vNode finds the files there.
 */
#ifndef PROCESSOR_FD_TMPFS_H
#define PROCESSOR_FD_TMPFS_H

#include <tessera/mutex.h>

#include "processor/backend/file_backend.h"

#define PTMPFS_CAP (32ull << 20) /* bytes of file data one tmpfs holds */
#define PTMPFS_MAGIC 0x01021994  /* statfs f_type, as Linux's tmpfs */

/* tmpfs.c: an empty tmpfs (its root mode 1777) holding at most cap bytes
 * of data (-ENOSPC past it): 0 or -ENOMEM. */
int ptmpfs_create(u64 cap, struct pfile_backend *out);
void ptmpfs_destroy(struct pfile_backend *b);

/* mount.c: the tmpfs trees of the vNodes on this pComponent (in struct
 * pmon), and the files a process of vNode vnode sees: root (the
 * sMonitor's volume; it stays the caller's and must outlive the view)
 * with the vNode's tmpfs on /tmp and /dev/shm. 0 or -ENOMEM.
 *
 * Locking: lock (mutex, LOCK_RANK_PMOUNTS) guards v; it is held only
 * to find or make a vNode's trees. */
#define PMOUNT_TREES 3   /* the root, /tmp, /dev/shm */
#define PMOUNT_VNODES 1024 /* vNodes with trees on one pComponent (the abi
                            * suite makes one per program: over 200) */

struct pmount_vnode {
	u32 vnode;
	bool used;
	struct pfile_backend tree[PMOUNT_TREES]; /* [0] unused */
};

struct pmount_table {
	struct mutex lock;
	struct pmount_vnode v[PMOUNT_VNODES]; /* [lock] */
};

void pmount_table_init(struct pmount_table *t);
int pmount_create(struct pmount_table *t, const struct pfile_backend *root, u32 vnode,
		  struct pfile_backend *out);
void pmount_destroy(struct pfile_backend *view);

#endif
