/*
 * The sMonitor's file service: the ext2/ext3 volume on disk vda, mounted
 * at start and served over RPC with the file protocol (tessera/wire/fs.h),
 * and a housekeeping thread that commits old transactions and marks the
 * volume clean when it is idle (fs_tick).
 *
 * Locking: sfs_volume.lock, a sleeping mutex, guards fs and proto and is
 * held across every call into them (fs.h wants one caller at a time); RPC
 * handlers run on several worker threads at once. disk, dev and mem are
 * written once by sfs_mount, before any handler is registered.
 */
#ifndef STORAGE_SFS_H
#define STORAGE_SFS_H

#include <tessera/fs.h>
#include <tessera/mutex.h>

#include "storage/fs_proto.h"

struct blkdev;
struct rpc_ep;

/* struct fs and block cache: the largest kmalloc block (4 MiB of pages,
 * less its header) */
#define SFS_MOUNT_BYTES (4 * 1024 * 1024 - 64 * 1024)
#define SFS_TICK_NS (100ull * 1000 * 1000)

struct sfs_volume {
	struct mutex lock;
	struct blkdev *disk;
	struct fs_blkdev dev;
	void *mem;
	const char *why; /* why the mount failed */
	struct fs *fs;          /* [lock] */
	struct fs_proto proto;  /* [lock] */
};

/* Mount the volume on disk index (0: vda) into v. 0, -ENODEV without
 * that disk, -ENOMEM, or fs_mount's error (v->why says why). */
int sfs_mount(struct sfs_volume *v, int index);

/* Serve the mounted volume v on ep: register the P2S_ handlers and start
 * the housekeeping thread. */
int sfs_serve(struct sfs_volume *v, struct rpc_ep *ep);

#endif
