/*
 * Intel 82574L (e1000e): each NIC is a netdev ("eth0", ...) beside the
 * virtio-net ones, with one legacy-descriptor RX ring and one TX ring.
 *
 * RX: every descriptor holds a posted 16 KiB buffer (RCTL BSIZE 16384 with
 * long packets on), enough for a frame of E1K_MAX_MTU payload, so frames
 * arrive whole. The RX interrupt only wakes the device's RX thread, which
 * drains the ring (e1000e_ring.c), hands each frame to netdev_deliver and
 * gives the descriptors back by moving the tail.
 * TX: descriptor i sends from its own 16 KiB buffer, into which xmit copies
 * the frame. A sender that finds the ring full waits (up to E1K_TX_WAIT)
 * for the TX interrupt. While the link is down xmit fails with -ENETDOWN.
 *
 * Interrupts: MSI-X, one vector each for RX, TX and "other" (link
 * changes). As a vector fires the device clears its cause and masks it
 * (EIAC without CTRL_EXT.IAME); each is unmasked again once served: TX
 * and "other" in their handlers; RX by the RX thread, before it drains
 * the ring, whenever the handler has noted a masking (rx_masked). A cause
 * raised while masked fires when it is unmasked.
 * Without MSI-X the RX thread polls every E1K_POLL_NS instead.
 *
 * Locking: rxr and rx_buf belong to the RX thread once the device is up.
 * tx_lock guards txr. Interrupt handlers touch only wait queues and
 * counters; the link flag is written by the "other" handler and read
 * without a lock.
 */
#include <tessera/errno.h>
#include <tessera/fmt.h>
#include <tessera/kmalloc.h>
#include <tessera/pci.h>
#include <tessera/pmm.h>
#include <tessera/printk.h>
#include <tessera/role.h>
#include <tessera/string.h>
#include <tessera/thread.h>
#include <tessera/time.h>

#include "kernel/drivers/e1000e.h"
#include "kernel/drivers/e1000e_ring.h"

#define E1K_MAX 4
#define E1K_RX_DESCS 128
#define E1K_TX_DESCS 64
#define E1K_BUF_ORDER 2 /* 16 KiB */
#define E1K_TX_WAIT (100 * NSEC_PER_MSEC)
#define E1K_RX_CHECK_NS (100 * NSEC_PER_MSEC) /* RX runs even if an interrupt is lost */
#define E1K_POLL_NS (1 * NSEC_PER_MSEC)       /* without MSI-X */
#define E1K_RESET_NS (10 * NSEC_PER_MSEC)
#define E1K_MDIC_NS (10 * NSEC_PER_MSEC)
#define E1K_MSIX_RX 0
#define E1K_MSIX_TX 1
#define E1K_MSIX_OTHER 2

struct e1k {
	struct netdev ndev;
	struct pci_dev *pci;
	volatile u32 *regs;
	bool msix;
	volatile bool link_up;
	volatile bool rx_masked;          /* set by the RX handler, cleared by the RX thread */
	struct e1k_rxr rxr;               /* RX thread */
	u8 *rx_buf[E1K_RX_DESCS];         /* fixed at probe */
	struct spinlock tx_lock;
	struct e1k_txr txr;               /* tx_lock */
	u8 *tx_buf[E1K_TX_DESCS];         /* fixed at probe */
	struct wait_queue rx_wq;
	struct wait_queue tx_wq;
	struct e1k_stats stats;
};

/* Written only by the probe (boot thread, before e1k_nr grows). */
static struct e1k *e1ks[E1K_MAX];
static int e1k_nr;

static u32 e1k_rd(const struct e1k *e, u32 reg)
{
	return e->regs[reg / 4];
}

static void e1k_wr(struct e1k *e, u32 reg, u32 v)
{
	e->regs[reg / 4] = v;
}

static void e1k_count_add(u64 *c, u64 n)
{
	__atomic_fetch_add(c, n, __ATOMIC_RELAXED);
}

static void e1k_rx_irq(void *arg)
{
	struct e1k *e = arg;

	e1k_count_add(&e->stats.rx_irqs, 1);
	netdev_note_rx_irq(&e->ndev);
	e->rx_masked = true;
	wake_up_all(&e->rx_wq);
}

static void e1k_tx_irq(void *arg)
{
	struct e1k *e = arg;

	e1k_count_add(&e->stats.tx_irqs, 1);
	wake_up_all(&e->tx_wq);
	e1k_wr(e, E1K_IMS, E1K_INT_TXQ0);
}

/* Link changes: the "other" vector. Logged from the RX thread. */
static void e1k_other_irq(void *arg)
{
	struct e1k *e = arg;

	e1k_count_add(&e->stats.link_changes, 1);
	e->link_up = e1k_rd(e, E1K_STATUS) & E1K_STATUS_LU;
	wake_up_all(&e->rx_wq);
	e1k_wr(e, E1K_IMS, E1K_INT_OTHER | E1K_INT_LSC);
}

static void e1k_rx_frame(void *arg, u16 idx, u16 len)
{
	struct e1k *e = arg;

	netdev_deliver(&e->ndev, e->rx_buf[idx], len);
}

static void e1k_rx_drain(struct e1k *e)
{
	struct e1k_rx_counts c = { 0 };
	int tail = e1k_rx_poll(&e->rxr, ETH_HLEN, e1k_rx_frame, e, &c);

	if (tail < 0)
		return;
	e1k_count_add(&e->stats.rx_errors, c.errors);
	e1k_count_add(&e->stats.rx_split, c.split);
	__atomic_thread_fence(__ATOMIC_RELEASE); /* descriptors before the tail */
	e1k_wr(e, E1K_RDT, (u32)tail);
}

static void e1k_note_link(struct e1k *e, bool *logged_up)
{
	bool up = e->link_up;

	if (up != *logged_up)
		pr_info("e1000e %s: link %s\n", e->ndev.name, up ? "up" : "down");
	*logged_up = up;
}

/* Frames found only when a whole check period passed with no RX
 * interrupt: counted (they mean an interrupt was lost). */
static void e1k_rx_note_missed(struct e1k *e, u64 irqs_before, u64 t0)
{
	if (e->msix && e1k_rx_pending(&e->rxr) && time_ns() - t0 >= E1K_RX_CHECK_NS &&
	    __atomic_load_n(&e->stats.rx_irqs, __ATOMIC_RELAXED) == irqs_before)
		e1k_count_add(&e->stats.rx_irq_missed, 1);
}

static void e1k_rx_thread(void *arg)
{
	struct e1k *e = arg;
	u64 wait = e->msix ? E1K_RX_CHECK_NS : E1K_POLL_NS;
	bool logged_up = e->link_up;

	for (;;) {
		u64 irqs = __atomic_load_n(&e->stats.rx_irqs, __ATOMIC_RELAXED);
		u64 t0 = time_ns();

		wait_event_timeout(&e->rx_wq, e1k_rx_pending(&e->rxr) || e->rx_masked ||
				   e->link_up != logged_up, wait);
		e1k_rx_note_missed(e, irqs, t0);
		if (!e->msix)
			e->link_up = e1k_rd(e, E1K_STATUS) & E1K_STATUS_LU;
		e1k_note_link(e, &logged_up);
		if (e->rx_masked) { /* unmask first: later frames interrupt */
			e->rx_masked = false;
			e1k_wr(e, E1K_IMS, E1K_INT_RXQ0);
		}
		e1k_rx_drain(e);
	}
}

/* Queue frame in the next descriptor; -ENOBUFS if the ring is full.
 * Called with tx_lock held. */
static int e1k_tx_queue(struct e1k *e, const void *frame, size_t len)
{
	int slot;
	u16 tail;

	e1k_tx_reclaim(&e->txr);
	slot = e1k_tx_slot(&e->txr);
	if (slot < 0)
		return slot;
	memcpy(e->tx_buf[slot], frame, len);
	tail = e1k_tx_post(&e->txr, virt_to_phys(e->tx_buf[slot]), (u16)len);
	__atomic_thread_fence(__ATOMIC_RELEASE); /* descriptor before the tail */
	e1k_wr(e, E1K_TDT, tail);
	return 0;
}

static int e1k_tx_try(struct e1k *e, const void *frame, size_t len)
{
	int err;

	spin_lock(&e->tx_lock);
	err = e1k_tx_queue(e, frame, len);
	spin_unlock(&e->tx_lock);
	return err;
}

static bool e1k_tx_space(struct e1k *e)
{
	return e1k_tx_in_flight(&e->txr) < E1K_TX_DESCS - 1 ||
	       (e->txr.d[e->txr.next_clean].status & E1K_TXD_DD);
}

/* netdev ops: may sleep while the TX ring is full (if interrupts are on). */
static int e1k_xmit(struct netdev *dev, const void *frame, size_t len)
{
	struct e1k *e = dev->priv;
	int err;

	if (!e->link_up)
		return -ENETDOWN;
	err = e1k_tx_try(e, frame, len);
	if (err != -ENOBUFS || !arch_irqs_enabled())
		return err;
	e1k_count_add(&e->stats.tx_waits, 1);
	wait_event_timeout(&e->tx_wq, e1k_tx_space(e), E1K_TX_WAIT);
	return e1k_tx_try(e, frame, len);
}

static const struct netdev_ops e1k_ops = { .xmit = e1k_xmit };

static int e1k_alloc_bufs(u8 **bufs, u64 *bus, int n)
{
	for (int i = 0; i < n; i++) {
		paddr_t pa = page_alloc(E1K_BUF_ORDER);

		if (!pa)
			return -ENOMEM;
		bufs[i] = phys_to_virt(pa);
		if (bus)
			bus[i] = pa;
	}
	return 0;
}

/* Reset, with every interrupt masked before and after. */
static int e1k_reset(struct e1k *e)
{
	u64 t0 = time_ns();

	e1k_wr(e, E1K_IMC, ~0u);
	e1k_wr(e, E1K_CTRL, e1k_rd(e, E1K_CTRL) | E1K_CTRL_RST);
	while (e1k_rd(e, E1K_CTRL) & E1K_CTRL_RST)
		if (time_ns() - t0 > E1K_RESET_NS)
			return -ETIMEDOUT;
	e1k_wr(e, E1K_IMC, ~0u);
	(void)e1k_rd(e, E1K_ICR);
	return 0;
}

/* The address the device loaded from its NVM into receive address 0. */
static void e1k_read_mac(struct e1k *e, int index)
{
	u32 lo = e1k_rd(e, E1K_RAL0), hi = e1k_rd(e, E1K_RAH0);

	if (!(hi & E1K_RAH_AV)) { /* locally administered, unique here */
		memset(e->ndev.mac, 0, ETH_ALEN);
		e->ndev.mac[0] = 0x02;
		e->ndev.mac[4] = 0xE1;
		e->ndev.mac[5] = (u8)index;
		return;
	}
	for (int i = 0; i < 4; i++)
		e->ndev.mac[i] = (u8)(lo >> (8 * i));
	e->ndev.mac[4] = (u8)hi;
	e->ndev.mac[5] = (u8)(hi >> 8);
}

/* One PHY register access through MDIC; the value read, or -errno. */
static int e1k_phy(struct e1k *e, u32 op, u32 reg, u16 val)
{
	u64 t0 = time_ns();
	u32 v;

	e1k_wr(e, E1K_MDIC, op | reg << E1K_MDIC_REG_SHIFT |
			    E1K_PHY_ADDR << E1K_MDIC_PHY_SHIFT | val);
	while (!((v = e1k_rd(e, E1K_MDIC)) & E1K_MDIC_READY))
		if (time_ns() - t0 > E1K_MDIC_NS)
			return -ETIMEDOUT;
	return v & E1K_MDIC_ERROR ? -EIO : (int)(v & 0xFFFF);
}

int e1k_renegotiate(struct netdev *dev)
{
	struct e1k *e = dev->priv;
	int bmcr;

	if (e1k_stats(dev) == NULL)
		return -ENODEV;
	bmcr = e1k_phy(e, E1K_MDIC_OP_READ, E1K_PHY_BMCR, 0);
	if (bmcr < 0)
		return bmcr;
	bmcr = e1k_phy(e, E1K_MDIC_OP_WRITE, E1K_PHY_BMCR,
		       (u16)(bmcr | E1K_BMCR_ANENABLE | E1K_BMCR_ANRESTART));
	if (bmcr < 0)
		return bmcr;
	e->link_up = e1k_rd(e, E1K_STATUS) & E1K_STATUS_LU;
	return 0;
}

static int e1k_setup_rx(struct e1k *e)
{
	static u64 bus[E1K_RX_DESCS]; /* probe only (boot thread) */
	paddr_t ring = page_alloc(0);
	int err;

	if (!ring)
		return -ENOMEM;
	err = e1k_alloc_bufs(e->rx_buf, bus, E1K_RX_DESCS);
	if (err)
		return err;
	e1k_rx_init(&e->rxr, phys_to_virt(ring), E1K_RX_DESCS, bus);
	e1k_wr(e, E1K_RDBAL, (u32)ring);
	e1k_wr(e, E1K_RDBAH, (u32)(ring >> 32));
	e1k_wr(e, E1K_RDLEN, E1K_RX_DESCS * sizeof(struct e1k_rx_desc));
	e1k_wr(e, E1K_RDH, 0);
	e1k_wr(e, E1K_RDT, e1k_rx_first_tail(&e->rxr));
	e1k_wr(e, E1K_RDTR, 0);
	e1k_wr(e, E1K_RADV, 0);
	for (int i = 0; i < E1K_MTA_WORDS; i++)
		e1k_wr(e, E1K_MTA + 4 * i, 0);
	e1k_wr(e, E1K_RCTL, E1K_RCTL_EN | E1K_RCTL_LPE | E1K_RCTL_BAM |
			    E1K_RCTL_BSIZE_16K | E1K_RCTL_SECRC);
	return 0;
}

static int e1k_setup_tx(struct e1k *e)
{
	paddr_t ring = page_alloc(0);
	int err;

	if (!ring)
		return -ENOMEM;
	err = e1k_alloc_bufs(e->tx_buf, NULL, E1K_TX_DESCS);
	if (err)
		return err;
	e1k_tx_init(&e->txr, phys_to_virt(ring), E1K_TX_DESCS);
	e1k_wr(e, E1K_TDBAL, (u32)ring);
	e1k_wr(e, E1K_TDBAH, (u32)(ring >> 32));
	e1k_wr(e, E1K_TDLEN, E1K_TX_DESCS * sizeof(struct e1k_tx_desc));
	e1k_wr(e, E1K_TDH, 0);
	e1k_wr(e, E1K_TDT, 0);
	e1k_wr(e, E1K_TIDV, 0);
	e1k_wr(e, E1K_TIPG, E1K_TIPG_DEFAULT);
	e1k_wr(e, E1K_TCTL, E1K_TCTL_EN | E1K_TCTL_PSP | E1K_TCTL_CT | E1K_TCTL_COLD);
	return 0;
}

/* MSI-X vectors for RX, TX and link changes; -ENODEV when the function
 * has no MSI-X (the RX thread then polls). */
static int e1k_setup_irqs(struct e1k *e)
{
	const u32 causes = E1K_INT_RXQ0 | E1K_INT_TXQ0 | E1K_INT_OTHER;
	int err = pci_msix_enable(e->pci);

	if (!err)
		err = pci_msix_route(e->pci, E1K_MSIX_RX, e1k_rx_irq, e);
	if (!err)
		err = pci_msix_route(e->pci, E1K_MSIX_TX, e1k_tx_irq, e);
	if (!err)
		err = pci_msix_route(e->pci, E1K_MSIX_OTHER, e1k_other_irq, e);
	if (err)
		return err;
	e1k_wr(e, E1K_IVAR, (E1K_IVAR_VALID | E1K_MSIX_RX) << E1K_IVAR_RXQ0_SHIFT |
			    (E1K_IVAR_VALID | E1K_MSIX_TX) << E1K_IVAR_TXQ0_SHIFT |
			    (E1K_IVAR_VALID | E1K_MSIX_OTHER) << E1K_IVAR_OTHER_SHIFT);
	e1k_wr(e, E1K_CTRL_EXT, e1k_rd(e, E1K_CTRL_EXT) | E1K_CTRL_EXT_PBA_CLR);
	e1k_wr(e, E1K_EIAC, causes);
	e1k_wr(e, E1K_ITR, 0);
	for (int v = E1K_MSIX_RX; v <= E1K_MSIX_OTHER; v++)
		e1k_wr(e, E1K_EITR(v), 0);
	e1k_wr(e, E1K_IMS, causes | E1K_INT_LSC);
	e->msix = true;
	return 0;
}

static int e1k_probe(struct e1k *e, struct pci_dev *pci, int index)
{
	char name[24];
	int err;

	spin_init(&e->tx_lock, "e1k_tx", LOCK_RANK_NIC_TX);
	wait_queue_init(&e->rx_wq);
	wait_queue_init(&e->tx_wq);
	e->pci = pci;
	pci_enable(pci);
	e->regs = pci_map_bar(pci, 0);
	if (!e->regs)
		return -ENXIO;
	err = e1k_reset(e);
	if (!err)
		err = e1k_setup_rx(e);
	if (!err)
		err = e1k_setup_tx(e);
	if (!err) {
		err = e1k_setup_irqs(e);
		err = err == -ENODEV ? 0 : err;
	}
	if (err)
		return err;
	e1k_read_mac(e, index);
	e1k_wr(e, E1K_CTRL, e1k_rd(e, E1K_CTRL) | E1K_CTRL_SLU);
	e->link_up = e1k_rd(e, E1K_STATUS) & E1K_STATUS_LU;
	e->ndev.mtu = E1K_MAX_MTU;
	e->ndev.ops = &e1k_ops;
	e->ndev.priv = e;
	err = netdev_register(&e->ndev);
	fmt_snprintf(name, sizeof(name), "e1k-rx-%s", e->ndev.name);
	if (!err)
		err = thread_spawn(e1k_rx_thread, e, name);
	return err;
}

static void e1k_report(const struct e1k *e)
{
	const u8 *m = e->ndev.mac;

	pr_info("e1000e %s: %02x:%02x:%02x:%02x:%02x:%02x mtu %u, rx %u tx %u entries, %s, link %s\n",
		e->ndev.name, m[0], m[1], m[2], m[3], m[4], m[5], e->ndev.mtu,
		E1K_RX_DESCS, E1K_TX_DESCS, e->msix ? "msi-x" : "polled",
		e->link_up ? "up" : "down");
}

static int e1k_init(void)
{
	struct pci_dev *pci;

	for (int i = 0; e1k_nr < E1K_MAX &&
			 (pci = pci_find(E1K_VENDOR, E1K_DEVICE_82574L, i)); i++) {
		struct e1k *e = kzalloc(sizeof(*e));
		int err = e ? e1k_probe(e, pci, i) : -ENOMEM;

		if (err) {
			/* buffers and rings are not reclaimed: the device may
			 * still own them; a reset stops it */
			pr_err("e1000e %02x:%02x.%x: probe failed: %d\n", pci->bus,
			       pci->dev, pci->fn, err);
			if (e && e->regs)
				e1k_reset(e);
			continue;
		}
		e1k_report(e);
		e1ks[e1k_nr++] = e;
	}
	return 0;
}
INITCALL(e1k_init);

const struct e1k_stats *e1k_stats(const struct netdev *dev)
{
	for (int i = 0; i < e1k_nr; i++)
		if (&e1ks[i]->ndev == dev)
			return &e1ks[i]->stats;
	return NULL;
}

struct netdev *e1k_netdev(int index)
{
	return index >= 0 && index < e1k_nr ? &e1ks[index]->ndev : NULL;
}

bool e1k_link_up(const struct netdev *dev)
{
	const struct e1k *e = dev->priv;

	return e1k_stats(dev) != NULL && e->link_up;
}

int e1k_count(void)
{
	return e1k_nr;
}
