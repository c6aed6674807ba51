/*
 * e1000e against QEMU's 82574L. The kernel suite gives the processor test
 * image two of them (52:54:00:00:00:03 and :04) on the fabric that joins
 * its virtio-net pair, so frames go e1000e to e1000e and e1000e to
 * virtio-net. Without 82574L functions, every test checks that the driver
 * and the PCI table agree there are none.
 */
#include <tessera/errno.h>
#include <tessera/ktest.h>
#include <tessera/pci.h>
#include <tessera/string.h>
#include <tessera/thread.h>
#include <tessera/time.h>

#include "kernel/drivers/e1000e.h"
#include "kernel/drivers/e1000e_regs.h"
#include "kernel/drivers/nic_pair.h"
#include "kernel/drivers/virtio_net.h"

#define ET_FRAMES 2000
#define ET_LINK_NS (5 * NSEC_PER_SEC)

static int et_pci_nics(void)
{
	int n = 0;

	while (pci_find(E1K_VENDOR, E1K_DEVICE_82574L, n))
		n++;
	return n;
}

/* True when the harness's pair is present; otherwise checks absence. */
static bool et_have_pair(struct ktest_ctx *t)
{
	if (et_pci_nics() >= 2 && e1k_count() >= 2)
		return true;
	KT_EXPECT_EQ(t, et_pci_nics(), 0);
	KT_EXPECT_EQ(t, e1k_count(), 0);
	KT_EXPECT(t, e1k_netdev(0) == NULL);
	ktest_log("no e1000e pair: checked that none is present");
	return false;
}

/* Wait (up to ET_LINK_NS) for the driver to see dev's link as `up`. */
static bool et_link_is(struct netdev *dev, bool up)
{
	u64 t0 = time_ns();

	while (e1k_link_up(dev) != up)
		if (time_ns() - t0 > ET_LINK_NS)
			return false;
		else
			thread_sleep_ns(10 * NSEC_PER_MSEC);
	return true;
}

KTEST(e1k, functions_match_netdevs)
{
	static const u8 mac[2][ETH_ALEN] = {
		{ 0x52, 0x54, 0x00, 0x00, 0x00, 0x03 },
		{ 0x52, 0x54, 0x00, 0x00, 0x00, 0x04 },
	};
	int n = et_pci_nics();

	KT_EXPECT_EQ(t, e1k_count(), n);
	for (int i = 0; i < n; i++) {
		struct pci_dev *d = pci_find(E1K_VENDOR, E1K_DEVICE_82574L, i);
		struct netdev *dev = e1k_netdev(i);

		KT_ASSERT(t, dev != NULL);
		KT_EXPECT_EQ(t, d->class >> 8, 0x0200); /* network: Ethernet */
		KT_EXPECT(t, pci_find_cap(d, PCI_CAP_MSIX, 0) != 0);
		KT_EXPECT(t, e1k_stats(dev) != NULL);
		KT_EXPECT(t, vnet_stats(dev) == NULL);
		KT_EXPECT_EQ(t, dev->mtu, E1K_MAX_MTU);
		if (i < 2)
			KT_EXPECT(t, !memcmp(dev->mac, mac[i], ETH_ALEN));
	}
	KT_EXPECT(t, e1k_stats(netdev_get(0)) == NULL || n == netdev_count());
	ktest_log("%d e1000e functions", n);
}

KTEST(e1k, link_comes_up)
{
	if (!et_have_pair(t))
		return;
	KT_EXPECT(t, et_link_is(e1k_netdev(0), true));
	KT_EXPECT(t, et_link_is(e1k_netdev(1), true));
}

KTEST(e1k, many_frames_with_jumbo)
{
	struct netdev *a, *b;

	if (!et_have_pair(t))
		return;
	a = e1k_netdev(0);
	b = e1k_netdev(1);
	KT_ASSERT(t, et_link_is(a, true) && et_link_is(b, true));
	KT_ASSERT(t, np_joined(a, b));
	np_stream_both(t, a, b, ET_FRAMES);
	KT_EXPECT(t, e1k_stats(a)->rx_irqs > 0 && e1k_stats(b)->rx_irqs > 0);
	KT_EXPECT(t, e1k_stats(a)->tx_irqs > 0);
	KT_EXPECT_EQ(t, e1k_stats(a)->rx_errors + e1k_stats(b)->rx_errors, 0);
	KT_EXPECT_EQ(t, e1k_stats(a)->rx_split + e1k_stats(b)->rx_split, 0);
	/* frames came with their interrupts, not with the timed check */
	KT_EXPECT(t, e1k_stats(a)->rx_irq_missed + e1k_stats(b)->rx_irq_missed <=
		     NP_IRQ_MISSED_MAX);
	ktest_log("rx irqs %lu, tx waits %lu", e1k_stats(b)->rx_irqs, e1k_stats(a)->tx_waits);
}

/* The same fabric carries both drivers' frames: 82574L to virtio-net and
 * back, at the smaller of the two mtus. */
KTEST(e1k, frames_to_and_from_virtio_net)
{
	static struct np_rx r;
	struct netdev *e, *v = netdev_get(0);

	if (!et_have_pair(t) || !v || !vnet_stats(v))
		return;
	e = e1k_netdev(0);
	KT_ASSERT(t, et_link_is(e, true));
	KT_ASSERT(t, np_joined(e, v));
	KT_EXPECT_EQ(t, np_stream(t, e, v, 200, &r), 200);
	KT_EXPECT_EQ(t, r.bad, 0);
	KT_EXPECT_EQ(t, np_stream(t, v, e, 200, &r), 200);
	KT_EXPECT_EQ(t, r.bad, 0);
}

/* A link that goes down: sends fail with -ENETDOWN and are counted as
 * dropped, nothing hangs, and frames pass again once it is back. */
KTEST(e1k, link_down_refuses_then_recovers)
{
	static u8 frame[60];
	static struct np_rx r;
	struct netdev *a, *b;
	u64 dropped, changes;

	if (!et_have_pair(t))
		return;
	a = e1k_netdev(0);
	b = e1k_netdev(1);
	KT_ASSERT(t, et_link_is(a, true));
	changes = e1k_stats(a)->link_changes;
	dropped = a->stats.tx_dropped;
	memcpy(frame, b->mac, ETH_ALEN);
	memcpy(frame + ETH_ALEN, a->mac, ETH_ALEN);
	KT_ASSERT(t, e1k_renegotiate(a) == 0);
	if (!e1k_link_up(a)) {
		KT_EXPECT_EQ(t, netdev_xmit(a, frame, sizeof(frame)), -ENETDOWN);
		KT_EXPECT_EQ(t, a->stats.tx_dropped - dropped, 1);
	} else {
		ktest_log("the link renegotiated before it could be seen down");
	}
	KT_EXPECT(t, et_link_is(a, true));
	KT_EXPECT(t, e1k_stats(a)->link_changes > changes);
	KT_ASSERT(t, np_joined(a, b));
	KT_EXPECT_EQ(t, np_stream(t, a, b, 100, &r), 100);
	KT_EXPECT_EQ(t, r.bad, 0);
	KT_EXPECT_EQ(t, e1k_renegotiate(netdev_get(0)),
		     vnet_stats(netdev_get(0)) ? -ENODEV : 0);
}
