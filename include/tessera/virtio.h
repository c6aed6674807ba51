/*
 * virtio 1.x over PCI (modern transport only) and split virtqueues.
 *
 * A driver probes a PCI function with virtio_pci_probe (maps the common,
 * notify, ISR and device-config structures named by the vendor
 * capabilities, enables MSI-X, resets the device and acknowledges it),
 * negotiates features, sets up its queues (each with its own MSI-X entry),
 * then calls virtio_driver_ok. All of that runs in one thread at probe time.
 *
 * A struct virtq has no lock of its own: its driver guards each queue with
 * a lock of its choice (or gives it to a single thread) and says which.
 * The rings live in physically contiguous pages; all fields the device
 * reads or writes are little-endian, as is x86.
 */
#ifndef TESSERA_VIRTIO_H
#define TESSERA_VIRTIO_H

#include <tessera/pci.h>
#include <tessera/types.h>

#define VIRTIO_PCI_VENDOR 0x1AF4
#define VIRTIO_PCI_MODERN_BASE 0x1040 /* + virtio device id */
#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLK 2

/* Device status bits. */
#define VIRTIO_STATUS_ACK 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_NEEDS_RESET 64
#define VIRTIO_STATUS_FAILED 128

#define VIRTIO_F_VERSION_1 (1ull << 32)
#define VIRTIO_MSI_NO_VECTOR 0xFFFF

/* PCI vendor capability naming one structure (virtio 1.x §4.1.4). */
struct virtio_pci_cap {
	u8 cap_vndr, cap_next, cap_len, cfg_type;
	u8 bar, id, pad[2];
	u32 offset, length;
};
_Static_assert(sizeof(struct virtio_pci_cap) == 16, "virtio_pci_cap");

#define VIRTIO_PCI_CAP_COMMON 1
#define VIRTIO_PCI_CAP_NOTIFY 2
#define VIRTIO_PCI_CAP_ISR 3
#define VIRTIO_PCI_CAP_DEVICE 4

/* The common configuration structure (§4.1.4.3). */
struct virtio_pci_common_cfg {
	u32 device_feature_select;
	u32 device_feature;
	u32 driver_feature_select;
	u32 driver_feature;
	u16 msix_config;
	u16 num_queues;
	u8 device_status;
	u8 config_generation;
	u16 queue_select;
	u16 queue_size;
	u16 queue_msix_vector;
	u16 queue_enable;
	u16 queue_notify_off;
	u32 queue_desc_lo, queue_desc_hi;
	u32 queue_driver_lo, queue_driver_hi;
	u32 queue_device_lo, queue_device_hi;
};
_Static_assert(sizeof(struct virtio_pci_common_cfg) == 56, "virtio common cfg");

/* Split virtqueue layout (§2.7). */
struct virtq_desc {
	u64 addr;
	u32 len;
	u16 flags;
	u16 next;
};
_Static_assert(sizeof(struct virtq_desc) == 16, "virtq_desc");

#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2

struct virtq_avail {
	u16 flags;
	u16 idx;
	u16 ring[];
};
_Static_assert(sizeof(struct virtq_avail) == 4, "virtq_avail");

struct virtq_used_elem {
	u32 id;
	u32 len;
};
_Static_assert(sizeof(struct virtq_used_elem) == 8, "virtq_used_elem");

struct virtq_used {
	u16 flags;
	u16 idx;
	struct virtq_used_elem ring[];
};
_Static_assert(sizeof(struct virtq_used) == 4, "virtq_used");

#define VIRTQ_USED_F_NO_NOTIFY 1
#define VIRTQ_MAX_SIZE 256

/* One buffer of a chain: physical address, length, device-writable. */
struct virtq_buf {
	paddr_t addr;
	u32 len;
	bool write;
};

struct virtq {
	u16 index;                  /* queue number in the device */
	u16 size;                   /* entries, a power of two */
	u16 num_free;               /* descriptors on the free list */
	u16 free_head;              /* first free descriptor (chained by next) */
	u16 avail_idx;              /* our copy of avail->idx */
	u16 last_used;              /* used entries consumed so far */
	unsigned order;             /* the rings' page block */
	paddr_t ring_pa;
	struct virtq_desc *desc;
	struct virtq_avail *avail;
	struct virtq_used *used;
	volatile u16 *notify;       /* doorbell for this queue */
	void *cookie[VIRTQ_MAX_SIZE]; /* caller's token per chain head */
};

/* A probed virtio PCI function. */
struct virtio_dev {
	struct pci_dev *pci;
	volatile struct virtio_pci_common_cfg *common;
	volatile u8 *notify_base;
	u32 notify_mult;
	volatile u8 *isr;
	volatile u8 *device_cfg;
	u32 device_cfg_len;
	u64 features;               /* negotiated */
};

/* Map the structures, enable MSI-X, reset, set ACK|DRIVER. 0 or -errno. */
int virtio_pci_probe(struct virtio_dev *vd, struct pci_dev *pci);
/* Offer `wanted` & device features (VERSION_1 required); sets
 * FEATURES_OK and checks the device kept it. 0 or -errno. */
int virtio_negotiate(struct virtio_dev *vd, u64 wanted);
/* Route MSI-X entry `entry` to fn(arg) for configuration changes. */
int virtio_config_irq(struct virtio_dev *vd, u16 entry, irq_handler_fn fn, void *arg);
/* Allocate and enable queue `index` with at most max_size entries, its
 * interrupts on MSI-X entry `entry` calling fn(arg). 0 or -errno. */
int virtio_queue_setup(struct virtio_dev *vd, struct virtq *vq, u16 index,
		       u16 max_size, u16 entry, irq_handler_fn fn, void *arg);
void virtio_driver_ok(struct virtio_dev *vd);
/* Give up on the device: reset it and set FAILED. */
void virtio_fail(struct virtio_dev *vd);
/* Copy len bytes of device config at off, consistently (generation). */
void virtio_read_config(struct virtio_dev *vd, u32 off, void *buf, u32 len);

/* Queue a chain of n buffers (readable ones first) with a token. 0, or
 * -ENOSPC when fewer than n descriptors are free. */
int virtq_add(struct virtq *vq, const struct virtq_buf *bufs, int n, void *cookie);
/* Tell the device about new buffers (unless it asked not to). */
void virtq_kick(struct virtq *vq);
bool virtq_has_used(const struct virtq *vq);
/* The token of the next completed chain, its descriptors freed; NULL if
 * none. *len: bytes the device wrote. */
void *virtq_get_used(struct virtq *vq, u32 *len);

#endif
