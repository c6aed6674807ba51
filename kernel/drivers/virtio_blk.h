/* virtio-blk driver internals visible to its tests. */
#ifndef KERNEL_DRIVERS_VIRTIO_BLK_H
#define KERNEL_DRIVERS_VIRTIO_BLK_H

#include <tessera/blk.h>

#define VBLK_PCI_DEVICE (0x1040 + 2)

#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4

/* One request straight to the device, no range check: 0, -EIO (the device
 * said so), -EOPNOTSUPP. bytes is a multiple of 512, at most a chunk. */
int vblk_submit(struct blkdev *dev, u32 type, u64 sector, void *buf, u32 bytes);
/* Whether virtio-blk drives dev. */
bool vblk_is(const struct blkdev *dev);
/* Interrupts taken by dev's queue, or 0 if virtio-blk does not drive it. */
u64 vblk_irqs(const struct blkdev *dev);

#endif
