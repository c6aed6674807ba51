/*
 * virtio-net: each NIC is a netdev ("eth0", ...) with one RX and one TX
 * queue, each on its own MSI-X vector (and one for config changes).
 *
 * RX: every RX descriptor always holds a posted 16 KiB buffer, enough for
 * the 12-byte header and a frame of VNET_MAX_MTU payload (no mergeable
 * buffers, so each frame arrives whole in one buffer). The RX interrupt
 * only wakes the device's RX thread, which drains the used ring, hands each
 * frame to netdev_deliver and posts the buffer again.
 * TX: a fixed set of slots, each a 16 KiB buffer that holds the header and
 * a copy of the frame; completed slots are reclaimed by senders. A sender
 * that finds no slot waits (up to VNET_TX_WAIT) for the TX interrupt.
 *
 * Locking: rxq and rx_buf belong to the RX thread once the device is up.
 * tx_lock guards txq, tx_free and tx_nfree. Interrupt handlers touch only
 * the wait queues and the counters.
 */
#include <tessera/errno.h>
#include <tessera/fmt.h>
#include <tessera/kmalloc.h>
#include <tessera/pmm.h>
#include <tessera/printk.h>
#include <tessera/role.h>
#include <tessera/string.h>
#include <tessera/thread.h>
#include <tessera/time.h>
#include <tessera/virtio.h>

#include "kernel/drivers/virtio_net.h"

#define VIRTIO_NET_F_MTU (1ull << 3)
#define VIRTIO_NET_F_MAC (1ull << 5)
#define VNET_CFG_MAC 0
#define VNET_CFG_MTU 10

#define VNET_MAX 4
#define VNET_RXQ 0
#define VNET_TXQ 1
#define VNET_RX_BUFS 128
#define VNET_TX_SLOTS 64
#define VNET_BUF_ORDER 2 /* 16 KiB */
#define VNET_TX_WAIT (100 * NSEC_PER_MSEC)
#define VNET_RX_CHECK_NS (100 * NSEC_PER_MSEC) /* RX runs even if an interrupt is lost */
#define VNET_MSIX_RX 0
#define VNET_MSIX_TX 1
#define VNET_MSIX_CONFIG 2

/* The header in front of every frame with VIRTIO_F_VERSION_1. */
struct vnet_hdr {
	u8 flags, gso_type;
	u16 hdr_len, gso_size, csum_start, csum_offset, num_buffers;
};
_Static_assert(sizeof(struct vnet_hdr) == 12, "virtio_net_hdr");

struct vnet {
	struct netdev ndev;
	struct virtio_dev vd;
	struct virtq rxq;                 /* RX thread */
	u8 *rx_buf[VNET_RX_BUFS];         /* RX thread */
	struct spinlock tx_lock;
	struct virtq txq;                 /* tx_lock */
	u16 tx_free[VNET_TX_SLOTS];       /* tx_lock: stack of free slots */
	int tx_nfree;                     /* tx_lock */
	u8 *tx_buf[VNET_TX_SLOTS];        /* fixed at probe */
	struct wait_queue rx_wq;          /* RX thread waits for used buffers */
	struct wait_queue tx_wq;          /* senders wait for completions */
	struct vnet_stats stats;
};

/* Written only by the probe (boot thread, before vnet_nr grows). */
static struct vnet *vnets[VNET_MAX];
static int vnet_nr;

static void vnet_count_add(u64 *c)
{
	__atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

static void vnet_rx_irq(void *arg)
{
	struct vnet *v = arg;

	vnet_count_add(&v->stats.rx_irqs);
	netdev_note_rx_irq(&v->ndev);
	wake_up_all(&v->rx_wq);
}

static void vnet_tx_irq(void *arg)
{
	struct vnet *v = arg;

	vnet_count_add(&v->stats.tx_irqs);
	wake_up_all(&v->tx_wq);
}

static void vnet_config_irq(void *arg)
{
	struct vnet *v = arg;

	vnet_count_add(&v->stats.config_irqs);
}

/* Slot tokens are index + 1, so that no token is NULL. */
static int vnet_rx_post(struct vnet *v, int i)
{
	struct virtq_buf b = { virt_to_phys(v->rx_buf[i]), PAGE_SIZE << VNET_BUF_ORDER, true };

	return virtq_add(&v->rxq, &b, 1, (void *)(uintptr_t)(i + 1));
}

static void vnet_rx_drain(struct vnet *v)
{
	void *tok;
	u32 len;

	while ((tok = virtq_get_used(&v->rxq, &len)) != NULL) {
		int i = (int)(uintptr_t)tok - 1;

		if (len < sizeof(struct vnet_hdr) + ETH_HLEN)
			vnet_count_add(&v->stats.rx_errors);
		else
			netdev_deliver(&v->ndev, v->rx_buf[i] + sizeof(struct vnet_hdr),
				       len - sizeof(struct vnet_hdr));
		vnet_rx_post(v, i);
	}
	virtq_kick(&v->rxq);
}

/* Frames found only when a whole check period passed with no RX
 * interrupt: counted, and the first one logged. */
static void vnet_rx_note_missed(struct vnet *v, u64 irqs_before, u64 t0)
{
	if (time_ns() - t0 < VNET_RX_CHECK_NS ||
	    __atomic_load_n(&v->stats.rx_irqs, __ATOMIC_RELAXED) != irqs_before)
		return;
	if (__atomic_fetch_add(&v->stats.rx_irq_missed, 1, __ATOMIC_RELAXED) == 0)
		pr_warn("vnet %s: frames were waiting with no RX interrupt\n", v->ndev.name);
}

/* Woken by the RX interrupt. The wait also ends every VNET_RX_CHECK_NS,
 * so a lost interrupt delays frames instead of stopping reception. */
static void vnet_rx_thread(void *arg)
{
	struct vnet *v = arg;

	for (;;) {
		u64 irqs = __atomic_load_n(&v->stats.rx_irqs, __ATOMIC_RELAXED);
		u64 t0 = time_ns();

		if (!wait_event_timeout(&v->rx_wq, virtq_has_used(&v->rxq), VNET_RX_CHECK_NS))
			continue;
		vnet_rx_note_missed(v, irqs, t0);
		vnet_rx_drain(v);
	}
}

/* Take back the slots of sent frames. Called with tx_lock held. */
static void vnet_tx_reclaim(struct vnet *v)
{
	void *tok;
	u32 len;

	while ((tok = virtq_get_used(&v->txq, &len)) != NULL)
		v->tx_free[v->tx_nfree++] = (u16)((uintptr_t)tok - 1);
}

/* Queue frame in a free slot; -ENOBUFS if none. Called with tx_lock held. */
static int vnet_tx_queue(struct vnet *v, const void *frame, size_t len)
{
	struct virtq_buf b;
	int slot;
	u8 *buf;

	vnet_tx_reclaim(v);
	if (v->tx_nfree == 0)
		return -ENOBUFS;
	slot = v->tx_free[--v->tx_nfree];
	buf = v->tx_buf[slot];
	memset(buf, 0, sizeof(struct vnet_hdr));
	memcpy(buf + sizeof(struct vnet_hdr), frame, len);
	b.addr = virt_to_phys(buf);
	b.len = sizeof(struct vnet_hdr) + len;
	b.write = false;
	virtq_add(&v->txq, &b, 1, (void *)(uintptr_t)(slot + 1));
	virtq_kick(&v->txq);
	return 0;
}

static bool vnet_tx_space(struct vnet *v)
{
	return v->tx_nfree > 0 || virtq_has_used(&v->txq);
}

/* netdev ops: may sleep while the TX ring is full (if interrupts are on). */
static int vnet_xmit(struct netdev *dev, const void *frame, size_t len)
{
	struct vnet *v = dev->priv;
	int err;

	spin_lock(&v->tx_lock);
	err = vnet_tx_queue(v, frame, len);
	spin_unlock(&v->tx_lock);
	if (err != -ENOBUFS || !arch_irqs_enabled())
		return err;
	vnet_count_add(&v->stats.tx_waits);
	wait_event_timeout(&v->tx_wq, vnet_tx_space(v), VNET_TX_WAIT);
	spin_lock(&v->tx_lock);
	err = vnet_tx_queue(v, frame, len);
	spin_unlock(&v->tx_lock);
	return err;
}

static const struct netdev_ops vnet_ops = { .xmit = vnet_xmit };

static int vnet_alloc_bufs(u8 **bufs, int n)
{
	for (int i = 0; i < n; i++) {
		paddr_t pa = page_alloc(VNET_BUF_ORDER);

		if (!pa)
			return -ENOMEM;
		bufs[i] = phys_to_virt(pa);
	}
	return 0;
}

static int vnet_setup_queues(struct vnet *v)
{
	int err;

	err = virtio_queue_setup(&v->vd, &v->rxq, VNET_RXQ, VNET_RX_BUFS,
				 VNET_MSIX_RX, vnet_rx_irq, v);
	if (!err)
		err = virtio_queue_setup(&v->vd, &v->txq, VNET_TXQ, VNET_TX_SLOTS,
					 VNET_MSIX_TX, vnet_tx_irq, v);
	if (!err)
		err = virtio_config_irq(&v->vd, VNET_MSIX_CONFIG, vnet_config_irq, v);
	if (!err)
		err = vnet_alloc_bufs(v->rx_buf, v->rxq.size);
	if (!err)
		err = vnet_alloc_bufs(v->tx_buf, v->txq.size);
	for (int i = 0; !err && i < v->rxq.size; i++)
		err = vnet_rx_post(v, i);
	for (int i = 0; i < v->txq.size; i++)
		v->tx_free[v->tx_nfree++] = i;
	return err;
}

static void vnet_read_identity(struct vnet *v, int index)
{
	u16 mtu = 0;

	if (v->vd.features & VIRTIO_NET_F_MAC) {
		virtio_read_config(&v->vd, VNET_CFG_MAC, v->ndev.mac, ETH_ALEN);
	} else { /* locally administered, unique on this machine */
		v->ndev.mac[0] = 0x02;
		v->ndev.mac[5] = (u8)index;
	}
	if (v->vd.features & VIRTIO_NET_F_MTU)
		virtio_read_config(&v->vd, VNET_CFG_MTU, &mtu, sizeof(mtu));
	v->ndev.mtu = mtu ? MIN(mtu, VNET_MAX_MTU) : VNET_MAX_MTU;
}

static int vnet_probe(struct vnet *v, struct pci_dev *pci, int index)
{
	char name[24];
	int err;

	spin_init(&v->tx_lock, "vnet_tx", LOCK_RANK_NIC_TX);
	wait_queue_init(&v->rx_wq);
	wait_queue_init(&v->tx_wq);
	err = virtio_pci_probe(&v->vd, pci);
	if (!err)
		err = virtio_negotiate(&v->vd, VIRTIO_NET_F_MAC | VIRTIO_NET_F_MTU);
	if (!err)
		err = vnet_setup_queues(v);
	if (err)
		return err;
	vnet_read_identity(v, index);
	v->ndev.ops = &vnet_ops;
	v->ndev.priv = v;
	virtio_driver_ok(&v->vd);
	virtq_kick(&v->rxq);
	err = netdev_register(&v->ndev);
	fmt_snprintf(name, sizeof(name), "vnet-rx-%s", v->ndev.name);
	if (!err)
		err = thread_spawn(vnet_rx_thread, v, name);
	return err;
}

static void vnet_report(const struct vnet *v)
{
	const u8 *m = v->ndev.mac;

	pr_info("vnet %s: %02x:%02x:%02x:%02x:%02x:%02x mtu %u, rx %u tx %u entries\n",
		v->ndev.name, m[0], m[1], m[2], m[3], m[4], m[5], v->ndev.mtu,
		v->rxq.size, v->txq.size);
}

static int vnet_init(void)
{
	struct pci_dev *pci;

	for (int i = 0; vnet_nr < VNET_MAX &&
			 (pci = pci_find(VIRTIO_PCI_VENDOR, VNET_PCI_DEVICE, i)); i++) {
		struct vnet *v = kzalloc(sizeof(*v));
		int err = v ? vnet_probe(v, pci, i) : -ENOMEM;

		if (err) {
			/* buffers and rings are not reclaimed: the device
			 * may still own them until the reset completes */
			pr_err("vnet %02x:%02x.%x: probe failed: %d\n", pci->bus,
			       pci->dev, pci->fn, err);
			if (v)
				virtio_fail(&v->vd);
			continue;
		}
		vnet_report(v);
		vnets[vnet_nr++] = v;
	}
	return 0;
}
INITCALL(vnet_init);

const struct vnet_stats *vnet_stats(const struct netdev *dev)
{
	for (int i = 0; i < vnet_nr; i++)
		if (&vnets[i]->ndev == dev)
			return &vnets[i]->stats;
	return NULL;
}

int vnet_count(void)
{
	return vnet_nr;
}
