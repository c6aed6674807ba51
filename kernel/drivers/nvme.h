/* NVMe driver internals visible to its tests. */
#ifndef KERNEL_DRIVERS_NVME_H
#define KERNEL_DRIVERS_NVME_H

#include <tessera/blk.h>

#include "kernel/drivers/nvme_priv.h"

/* PCI class of an NVMe controller: mass storage, NVM, NVMe. */
#define NVME_PCI_CLASS 0x010802

/* The controller behind dev, or NULL if the NVMe driver does not drive it. */
struct nvme_ctrl *nvme_ctrl_of(struct blkdev *dev);
/* The I/O queue the calling CPU submits to. */
struct nvme_queue *nvme_queue_here(struct nvme_ctrl *c);
/* Interrupts taken by the controller's I/O queues (0 when polled). */
u64 nvme_irqs(struct nvme_ctrl *c);
/* PCI functions of the NVMe class, driven or not. */
int nvme_pci_count(void);

#endif
