/*
 * Mounting the sMonitor's volume: a block device from the kernel's block
 * layer, seen through the file system's struct fs_blkdev, and the block
 * cache's memory from the kernel heap. Runs once, in the role's start,
 * before the volume is served; see sfs.h for the locking.
 */
#include <tessera/blk.h>
#include <tessera/errno.h>
#include <tessera/kmalloc.h>

#include "storage/sfs.h"

static int sfs_read_blocks(struct fs_blkdev *dev, u64 first, u32 count,
			   void *buf)
{
	return blk_read(dev->priv, first, count, buf);
}

int sfs_mount(struct sfs_volume *v, int index)
{
	struct blkdev *disk = index < blk_count() ? blk_get(index) : NULL;
	int err;

	if (!disk)
		return -ENODEV;
	mutex_init(&v->lock, "sfs.volume", LOCK_RANK_FS_VOLUME);
	v->disk = disk;
	v->dev = (struct fs_blkdev){ .sector_size = BLK_SECTOR_SIZE,
				     .sector_count = blk_capacity(disk),
				     .read_blocks = sfs_read_blocks,
				     .priv = disk };
	v->cache = kmalloc(SFS_CACHE_BYTES);
	if (!v->cache)
		return -ENOMEM;
	err = ext2_mount(&v->fs, &v->dev, v->cache, SFS_CACHE_BYTES);
	if (err) {
		kfree(v->cache);
		v->cache = NULL;
	}
	return err;
}
