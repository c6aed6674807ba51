/*
 * Mounting the sMonitor's volume: a block device from the kernel's block
 * layer, seen through the file system's struct fs_blkdev, and the mount's
 * memory from the kernel heap. Runs once, in the role's start, before the
 * volume is served; see sfs.h for the locking.
 *
 * Clock: timestamps use the boot argument epoch= (seconds) plus the time
 * since boot, as the pMonitor's CLOCK_REALTIME does.
 */
#include <tessera/blk.h>
#include <tessera/bootargs.h>
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/net/plat.h>
#include <tessera/time.h>

#include "storage/sfs.h"

BOOTARG_KNOWN(epoch, "wall-clock seconds at boot, for file timestamps");

static int sfs_read_blocks(struct fs_blkdev *dev, u64 first, u32 count,
			   void *buf)
{
	return blk_read(dev->priv, first, count, buf);
}

static int sfs_write_blocks(struct fs_blkdev *dev, u64 first, u32 count,
			    const void *buf)
{
	return blk_write(dev->priv, first, count, buf);
}

static int sfs_flush(struct fs_blkdev *dev)
{
	return blk_flush(dev->priv);
}

static s64 sfs_now(void *arg)
{
	return (s64)(bootarg_u64("epoch", 0) * NSEC_PER_SEC + time_ns());
}

int sfs_mount(struct sfs_volume *v, int index)
{
	struct blkdev *disk = index < blk_count() ? blk_get(index) : NULL;
	struct fs_mount_opts opts = { .now_ns = sfs_now,
				      .gen_seed = netplat_random() };
	int err;

	mutex_init(&v->lock, "sfs.volume", LOCK_RANK_FS_VOLUME);
	if (!disk)
		return -ENODEV;
	v->disk = disk;
	v->dev = (struct fs_blkdev){ .sector_size = BLK_SECTOR_SIZE,
				     .sector_count = blk_capacity(disk),
				     .read_only = disk->read_only,
				     .read_blocks = sfs_read_blocks,
				     .write_blocks = sfs_write_blocks,
				     .flush = sfs_flush, .priv = disk };
	v->mem = kmalloc(SFS_MOUNT_BYTES);
	if (!v->mem)
		return -ENOMEM;
	err = fs_mount(&v->dev, v->mem, SFS_MOUNT_BYTES, &opts, &v->fs, &v->why);
	if (err) {
		kfree(v->mem);
		v->mem = NULL;
		return err;
	}
	v->proto = (struct fs_proto){ .fs = v->fs,
				      .verf = (u64)netplat_random() << 32 |
					      netplat_random() };
	return 0;
}
