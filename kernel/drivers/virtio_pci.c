/*
 * The virtio 1.x PCI transport (modern devices only): find the structures
 * the vendor capabilities point at, reset and acknowledge the device,
 * negotiate features, set up queues with one MSI-X entry each, read the
 * device-specific configuration.
 *
 * Locking: a driver calls these while probing, from one thread, before any
 * of the device's interrupts are routed; virtio_read_config may be called
 * later by the device's owner.
 */
#include <tessera/errno.h>
#include <tessera/printk.h>
#include <tessera/time.h>

#include "kernel/drivers/virtio_priv.h"

#define VIRTIO_CAP_NOTIFY_MULT 16 /* notify_off_multiplier, after the cap */

/* Map the structure a vendor capability at cap names; NULL if unusable. */
static volatile u8 *virtio_map_cap(struct pci_dev *pci, u8 cap, u32 *len)
{
	u8 bar = pci_cfg_read8(pci, cap + offsetof(struct virtio_pci_cap, bar));
	u32 off = pci_cfg_read32(pci, cap + offsetof(struct virtio_pci_cap, offset));
	char *base;

	*len = pci_cfg_read32(pci, cap + offsetof(struct virtio_pci_cap, length));
	if (bar >= PCI_NR_BARS || (u64)off + *len > pci->bar[bar].size)
		return NULL;
	base = pci_map_bar(pci, bar);
	return base ? (volatile u8 *)base + off : NULL;
}

static void virtio_find_caps(struct virtio_dev *vd)
{
	struct pci_dev *pci = vd->pci;
	u32 len;

	for (u8 cap = pci_find_cap(pci, PCI_CAP_VENDOR, 0); cap;
	     cap = pci_find_cap(pci, PCI_CAP_VENDOR, cap)) {
		u8 type = pci_cfg_read8(pci, cap + offsetof(struct virtio_pci_cap, cfg_type));
		volatile u8 *p;

		if (type < VIRTIO_PCI_CAP_COMMON || type > VIRTIO_PCI_CAP_DEVICE)
			continue;
		p = virtio_map_cap(pci, cap, &len);
		if (!p)
			continue;
		if (type == VIRTIO_PCI_CAP_COMMON && !vd->common &&
		    len >= sizeof(struct virtio_pci_common_cfg)) {
			vd->common = (volatile struct virtio_pci_common_cfg *)p;
		} else if (type == VIRTIO_PCI_CAP_NOTIFY && !vd->notify_base) {
			vd->notify_base = p;
			vd->notify_mult = pci_cfg_read32(pci, cap + VIRTIO_CAP_NOTIFY_MULT);
		} else if (type == VIRTIO_PCI_CAP_ISR && !vd->isr) {
			vd->isr = p;
		} else if (type == VIRTIO_PCI_CAP_DEVICE && !vd->device_cfg) {
			vd->device_cfg = p;
			vd->device_cfg_len = len;
		}
	}
}

static int virtio_reset(struct virtio_dev *vd)
{
	u64 t0 = time_ns();

	vd->common->device_status = 0;
	while (vd->common->device_status != 0) {
		if (time_ns() - t0 > NSEC_PER_SEC)
			return -ETIMEDOUT;
		time_delay_us(10);
	}
	return 0;
}

int virtio_pci_probe(struct virtio_dev *vd, struct pci_dev *pci)
{
	int err;

	vd->pci = pci;
	pci_enable(pci);
	virtio_find_caps(vd);
	if (!vd->common || !vd->notify_base || !vd->isr || !vd->device_cfg)
		return -ENODEV;
	err = pci_msix_enable(pci);
	if (err)
		return err;
	err = virtio_reset(vd);
	if (err)
		return err;
	vd->common->device_status = VIRTIO_STATUS_ACK;
	vd->common->device_status = VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER;
	return 0;
}

int virtio_negotiate(struct virtio_dev *vd, u64 wanted)
{
	volatile struct virtio_pci_common_cfg *c = vd->common;
	u64 offered;

	c->device_feature_select = 0;
	offered = c->device_feature;
	c->device_feature_select = 1;
	offered |= (u64)c->device_feature << 32;
	if (!(offered & VIRTIO_F_VERSION_1))
		return -ENODEV;
	vd->features = offered & (wanted | VIRTIO_F_VERSION_1);
	c->driver_feature_select = 0;
	c->driver_feature = (u32)vd->features;
	c->driver_feature_select = 1;
	c->driver_feature = (u32)(vd->features >> 32);
	c->device_status |= VIRTIO_STATUS_FEATURES_OK;
	if (!(c->device_status & VIRTIO_STATUS_FEATURES_OK))
		return -ENODEV;
	return 0;
}

int virtio_config_irq(struct virtio_dev *vd, u16 entry, irq_handler_fn fn, void *arg)
{
	int err = pci_msix_route(vd->pci, entry, fn, arg);

	if (err)
		return err;
	vd->common->msix_config = entry;
	return vd->common->msix_config == entry ? 0 : -EIO;
}

/* The largest power of two not above n. */
static u16 virtio_pow2_floor(u16 n)
{
	u16 p = 1;

	while ((u32)p * 2 <= n)
		p *= 2;
	return p;
}

static void virtio_queue_program(struct virtio_dev *vd, struct virtq *vq)
{
	volatile struct virtio_pci_common_cfg *c = vd->common;

	c->queue_size = vq->size;
	c->queue_desc_lo = (u32)virtq_desc_pa(vq);
	c->queue_desc_hi = (u32)(virtq_desc_pa(vq) >> 32);
	c->queue_driver_lo = (u32)virtq_avail_pa(vq);
	c->queue_driver_hi = (u32)(virtq_avail_pa(vq) >> 32);
	c->queue_device_lo = (u32)virtq_used_pa(vq);
	c->queue_device_hi = (u32)(virtq_used_pa(vq) >> 32);
	vq->notify = (volatile u16 *)(vd->notify_base +
				      (u32)c->queue_notify_off * vd->notify_mult);
}

int virtio_queue_setup(struct virtio_dev *vd, struct virtq *vq, u16 index,
		       u16 max_size, u16 entry, irq_handler_fn fn, void *arg)
{
	volatile struct virtio_pci_common_cfg *c = vd->common;
	u16 size;
	int err;

	c->queue_select = index;
	size = c->queue_size;
	if (size == 0 || c->queue_enable)
		return -ENOENT;
	size = virtio_pow2_floor(MIN(MIN(size, max_size), VIRTQ_MAX_SIZE));
	err = virtq_init(vq, index, size);
	if (err)
		return err;
	virtio_queue_program(vd, vq);
	err = pci_msix_route(vd->pci, entry, fn, arg);
	if (err)
		goto out_free;
	c->queue_msix_vector = entry;
	if (c->queue_msix_vector != entry) {
		err = -EIO;
		goto out_free;
	}
	c->queue_enable = 1;
	return 0;
out_free:
	virtq_free(vq);
	return err;
}

void virtio_driver_ok(struct virtio_dev *vd)
{
	vd->common->device_status |= VIRTIO_STATUS_DRIVER_OK;
}

void virtio_fail(struct virtio_dev *vd)
{
	if (!vd->common)
		return;
	virtio_reset(vd);
	vd->common->device_status = VIRTIO_STATUS_FAILED;
}

void virtio_read_config(struct virtio_dev *vd, u32 off, void *buf, u32 len)
{
	u8 gen, *out = buf;

	if ((u64)off + len > vd->device_cfg_len)
		return;
	do {
		gen = vd->common->config_generation;
		for (u32 i = 0; i < len; i++)
			out[i] = vd->device_cfg[off + i];
	} while (gen != vd->common->config_generation);
}
