/*
 * The e1000e descriptor rings as software sees them: which descriptors are
 * done, which frames they hold, where the tail goes. Pure logic on the
 * descriptor arrays (the device writes them by DMA), so it is unit-tested
 * on the host against a model of the device.
 *
 * RX: every descriptor carries a fixed buffer. The device owns the
 * descriptors from its head up to, not including, the tail register; the
 * driver holds back exactly one, the last it processed, so head never
 * catches the tail on a full ring. Initially the tail is size - 1.
 * TX: descriptor i sends from buffer i. next_use is the tail the driver
 * writes; next_clean the oldest descriptor not yet seen done. One
 * descriptor stays empty, so next_use == next_clean means idle.
 *
 * Locking: none here. The RX ring belongs to the RX thread; the TX ring to
 * whoever holds the driver's TX lock.
 */
#ifndef KERNEL_DRIVERS_E1000E_RING_H
#define KERNEL_DRIVERS_E1000E_RING_H

#include <tessera/types.h>

#include "kernel/drivers/e1000e_regs.h"

struct e1k_rxr {
	struct e1k_rx_desc *d;
	u16 size;
	u16 next;      /* the next descriptor the device completes */
	bool dropping; /* inside a frame that did not fit one buffer */
};

struct e1k_rx_counts {
	u64 frames;    /* delivered */
	u64 errors;    /* frames the device flagged, or too short */
	u64 split;     /* frames spread over buffers (larger than one) */
};

/* Called for a whole, error-free frame in descriptor idx's buffer. */
typedef void (*e1k_rx_fn)(void *arg, u16 idx, u16 len);

struct e1k_txr {
	struct e1k_tx_desc *d;
	u16 size;
	u16 next_use;
	u16 next_clean;
};

/* Every descriptor's buffer at buf[i] (bus addresses); the tail to write
 * first is e1k_rx_first_tail(). */
void e1k_rx_init(struct e1k_rxr *r, struct e1k_rx_desc *d, u16 size, const u64 *buf);
u16 e1k_rx_first_tail(const struct e1k_rxr *r);
bool e1k_rx_pending(const struct e1k_rxr *r);
/* Take every completed descriptor: whole frames of at least min_len bytes
 * go to fn, the rest is counted. Returns the new tail, or -1 when nothing
 * was completed (the tail stays). */
int e1k_rx_poll(struct e1k_rxr *r, u16 min_len, e1k_rx_fn fn, void *arg,
		struct e1k_rx_counts *c);

void e1k_tx_init(struct e1k_txr *r, struct e1k_tx_desc *d, u16 size);
/* Move next_clean past the descriptors the device has sent. */
void e1k_tx_reclaim(struct e1k_txr *r);
/* The descriptor (and buffer) the next frame goes in, or -ENOBUFS. */
int e1k_tx_slot(const struct e1k_txr *r);
/* Hand descriptor e1k_tx_slot() to the device: its buffer at addr holds
 * len bytes. Returns the new tail. */
u16 e1k_tx_post(struct e1k_txr *r, u64 addr, u16 len);
/* Descriptors handed to the device and not yet seen done. */
u16 e1k_tx_in_flight(const struct e1k_txr *r);

#endif
