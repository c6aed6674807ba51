/*
 * The block device registry and the checks every request passes before it
 * reaches a driver (range, read-only).
 *
 * Locking: blk_lock guards blkdevs[] and blk_nr; a registered device is
 * never removed. The drivers serialise their own queues.
 */
#include <tessera/blk.h>
#include <tessera/errno.h>
#include <tessera/fmt.h>
#include <tessera/lock.h>

#define BLK_MAX 8

static struct spinlock blk_lock = SPINLOCK_INIT("blk", LOCK_RANK_BLK);
static struct blkdev *blkdevs[BLK_MAX];
static int blk_nr;

int blk_register(struct blkdev *dev)
{
	int err = 0;

	spin_lock(&blk_lock);
	if (blk_nr == BLK_MAX) {
		err = -ENOSPC;
	} else {
		if (!dev->name[0])
			fmt_snprintf(dev->name, sizeof(dev->name), "vd%c", 'a' + blk_nr);
		blkdevs[blk_nr++] = dev;
	}
	spin_unlock(&blk_lock);
	return err;
}

struct blkdev *blk_get(int index)
{
	struct blkdev *dev = NULL;

	spin_lock(&blk_lock);
	if (index >= 0 && index < blk_nr)
		dev = blkdevs[index];
	spin_unlock(&blk_lock);
	return dev;
}

int blk_count(void)
{
	int n;

	spin_lock(&blk_lock);
	n = blk_nr;
	spin_unlock(&blk_lock);
	return n;
}

u64 blk_capacity(const struct blkdev *dev)
{
	return dev->capacity;
}

static int blk_check(const struct blkdev *dev, u64 sector, u32 count)
{
	if (count == 0)
		return -EINVAL;
	if (sector >= dev->capacity || count > dev->capacity - sector)
		return -ERANGE;
	return 0;
}

int blk_read(struct blkdev *dev, u64 sector, u32 count, void *buf)
{
	int err = blk_check(dev, sector, count);

	return err ? err : dev->ops->rw(dev, false, sector, count, buf);
}

int blk_write(struct blkdev *dev, u64 sector, u32 count, const void *buf)
{
	int err = blk_check(dev, sector, count);

	if (!err && dev->read_only)
		err = -EROFS;
	return err ? err : dev->ops->rw(dev, true, sector, count, (void *)buf);
}

int blk_flush(struct blkdev *dev)
{
	return dev->ops->flush(dev);
}
