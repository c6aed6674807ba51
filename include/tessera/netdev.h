/*
 * Network devices: the frame send/receive API that every layer above a NIC
 * driver uses (the echo responder, the IPv4/UDP stack, the RDMA transport).
 *
 * A driver fills in a struct netdev and calls netdev_register(). Received
 * frames are handed to the device's receive handler from a kernel thread,
 * never from interrupt context, one frame at a time per device; the buffer
 * is valid only during the call. netdev_xmit() may be called from any thread;
 * it copies the frame, so the caller's buffer is free on return.
 */
#ifndef TESSERA_NETDEV_H
#define TESSERA_NETDEV_H

#include <tessera/types.h>

#define ETH_ALEN 6
#define ETH_HLEN 14

struct netdev;

typedef void (*netdev_rx_fn)(struct netdev *dev, const void *frame, size_t len,
			     void *arg);

struct netdev_ops {
	/* Queue one Ethernet frame (header included, no FCS). 0 or -errno. */
	int (*xmit)(struct netdev *dev, const void *frame, size_t len);
};

struct netdev_stats {
	u64 rx_frames, rx_bytes, rx_dropped;
	u64 tx_frames, tx_bytes, tx_dropped;
};

struct netdev {
	char name[8];
	u8 mac[ETH_ALEN];
	u16 pad;
	u32 mtu; /* largest payload after the Ethernet header */
	const struct netdev_ops *ops;
	void *priv;
	netdev_rx_fn rx; /* set with netdev_set_rx; NULL drops */
	void *rx_arg;
	struct netdev_stats stats;
	/* time_ns() of the latest RX interrupt, 0 before the first: written by
	 * the driver's interrupt handler (netdev_note_rx_irq), read without a
	 * lock by profilers of the receive path (the echo bench). */
	u64 rx_irq_ns;
};

int netdev_register(struct netdev *dev);
/* The index-th registered device (0-based), or NULL. */
struct netdev *netdev_get(int index);
int netdev_count(void);
void netdev_set_rx(struct netdev *dev, netdev_rx_fn fn, void *arg);
int netdev_xmit(struct netdev *dev, const void *frame, size_t len);
/* Receive every frame of one EtherType (from any device) in fn instead of
 * the device's handler: side protocols such as the rig's echo live beside
 * the IP stack this way. -ENOSPC when the tap table is full, -EEXIST when
 * the EtherType is taken. */
int netdev_add_tap(u16 ethertype, netdev_rx_fn fn, void *arg);
/* Called by drivers' RX interrupt handlers: stamps dev->rx_irq_ns. */
void netdev_note_rx_irq(struct netdev *dev);
/* Called by drivers for each received frame (thread context). */
void netdev_deliver(struct netdev *dev, const void *frame, size_t len);

#endif
