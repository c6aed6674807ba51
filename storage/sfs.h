/*
 * The sMonitor's file service: the ext2 volume on disk vda, mounted at
 * start and served over RPC with the file protocol (tessera/wire/fs.h).
 *
 * Locking: sfs_volume.lock, a sleeping mutex, guards fs and is held
 * across every call into it (fs.h wants one caller at a time); RPC
 * handlers run on several worker threads at once. dev, disk and cache
 * are written once by sfs_mount, before any handler is registered.
 */
#ifndef STORAGE_SFS_H
#define STORAGE_SFS_H

#include <tessera/fs.h>
#include <tessera/mutex.h>

struct blkdev;
struct rpc_ep;

#define SFS_CACHE_BYTES (512 * 1024) /* block cache: 128 blocks of 4 KiB */

struct sfs_volume {
	struct mutex lock;
	struct blkdev *disk;
	struct fs_blkdev dev;
	void *cache;
	struct fs fs; /* guarded by lock */
};

/* Mount the ext2 volume on disk index (0: vda) into v. 0, -ENODEV
 * without that disk, -ENOMEM, or ext2_mount's error (v->fs.error says
 * why). */
int sfs_mount(struct sfs_volume *v, int index);

/* Serve the mounted volume v on ep: register the P2S_ handlers. */
int sfs_serve(struct sfs_volume *v, struct rpc_ep *ep);

#endif
