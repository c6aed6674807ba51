/*
 * Block devices: disks addressed in 512-byte sectors, with a synchronous
 * API. A driver fills in a struct blkdev and calls blk_register(); users
 * find disks by index ("vda" is index 0).
 *
 * blk_read/blk_write/blk_flush sleep until the device has finished (never
 * call them with a spinlock held or from an interrupt handler); several
 * threads may have requests in flight on one disk at once. buf must be
 * kernel memory (the direct map, a kmalloc block, a kernel stack or the
 * image): the driver gives its physical address to the device.
 */
#ifndef TESSERA_BLK_H
#define TESSERA_BLK_H

#include <tessera/types.h>

#define BLK_SECTOR_SIZE 512

struct blkdev;

struct blkdev_ops {
	/* Transfer count sectors at sector (in range, count > 0). 0 or -errno. */
	int (*rw)(struct blkdev *dev, bool write, u64 sector, u32 count, void *buf);
	/* Make completed writes durable. 0 or -errno. */
	int (*flush)(struct blkdev *dev);
};

struct blkdev {
	char name[8];
	u64 capacity;   /* in sectors */
	bool read_only;
	const struct blkdev_ops *ops;
	void *priv;
};

/* dev gets the name "vd<a + index>" unless its driver named it. */
int blk_register(struct blkdev *dev);
struct blkdev *blk_get(int index);
int blk_count(void);
u64 blk_capacity(const struct blkdev *dev);

/* 0, -ERANGE beyond the end, -EINVAL for count 0, -EROFS, -EIO. */
int blk_read(struct blkdev *dev, u64 sector, u32 count, void *buf);
int blk_write(struct blkdev *dev, u64 sector, u32 count, const void *buf);
int blk_flush(struct blkdev *dev);

#endif
