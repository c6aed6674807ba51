/* virtio-net driver internals visible to its tests. */
#ifndef KERNEL_DRIVERS_VIRTIO_NET_H
#define KERNEL_DRIVERS_VIRTIO_NET_H

#include <tessera/netdev.h>
#include <tessera/types.h>

#define VNET_PCI_DEVICE (0x1040 + 1)
#define VNET_MAX_MTU 9216 /* jumbo frames: payload after the Ethernet header */

/* Driver counters, updated with atomic adds (interrupts and threads). */
struct vnet_stats {
	u64 rx_irqs, tx_irqs, config_irqs;
	u64 rx_errors;      /* used buffers too short to hold a frame */
	u64 rx_irq_missed;  /* frames found by the RX thread's timed check, no interrupt */
	u64 tx_waits;       /* senders that waited for a free TX slot */
};

/* The driver's counters of dev, or NULL if virtio-net does not drive it. */
const struct vnet_stats *vnet_stats(const struct netdev *dev);
/* How many virtio-net functions were found and brought up. */
int vnet_count(void);

#endif
