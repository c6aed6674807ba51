/* e1000e driver internals visible to its tests. */
#ifndef KERNEL_DRIVERS_E1000E_H
#define KERNEL_DRIVERS_E1000E_H

#include <tessera/netdev.h>
#include <tessera/types.h>

#define E1K_MAX_MTU 9216 /* jumbo frames, as virtio-net: payload after the header */

/* Driver counters, updated with atomic adds (interrupts and threads). */
struct e1k_stats {
	u64 rx_irqs, tx_irqs;
	u64 link_changes;   /* "other" interrupts */
	u64 rx_errors;      /* frames the device flagged, or runts */
	u64 rx_split;       /* frames larger than one buffer, dropped */
	u64 rx_irq_missed;  /* frames found by the RX thread's timed check, no interrupt */
	u64 tx_waits;       /* senders that waited for a free descriptor */
};

/* The driver's counters of dev, or NULL if e1000e does not drive it. */
const struct e1k_stats *e1k_stats(const struct netdev *dev);
/* The index-th e1000e netdev (0-based), or NULL. */
struct netdev *e1k_netdev(int index);
/* Restart link negotiation, as `ethtool -r` does: the link goes down and
 * comes back when the PHY has negotiated again (a link-change interrupt).
 * 0 or -errno (-ENODEV: not an e1000e netdev, -ETIMEDOUT: no PHY answer). */
int e1k_renegotiate(struct netdev *dev);
/* Whether the driver sees dev's link up. */
bool e1k_link_up(const struct netdev *dev);
/* How many 82574L functions were found and brought up. */
int e1k_count(void);

#endif
