/*
 * virtio-net against QEMU. With the test harness's two NICs joined by a
 * fabric (eth0 = 52:54:00:00:00:01, eth1 = 52:54:00:00:00:02), frames sent
 * on one arrive on the other. Without virtio-net functions, every test checks that
 * the driver, the registry and the PCI table agree there are none.
 */
#include <tessera/ktest.h>
#include <tessera/netdev.h>
#include <tessera/pci.h>
#include <tessera/string.h>
#include <tessera/time.h>
#include <tessera/virtio.h>
#include <tessera/wait.h>

#include "kernel/drivers/nic_pair.h"
#include "kernel/drivers/virtio_net.h"

#define VT_FRAMES 2000

static int vt_pci_nics(void)
{
	int n = 0;

	while (pci_find(VIRTIO_PCI_VENDOR, VNET_PCI_DEVICE, n))
		n++;
	return n;
}

/* The netdevs virtio-net drives (other drivers' NICs may be there too). */
static int vt_vnet_netdevs(void)
{
	int n = 0;

	for (int i = 0; i < netdev_count(); i++)
		n += vnet_stats(netdev_get(i)) != NULL;
	return n;
}

/* True when the harness's NICs are present; otherwise checks absence. */
static bool vt_have_pair(struct ktest_ctx *t)
{
	if (vt_pci_nics() >= 2 && vnet_count() >= 2)
		return true;
	KT_EXPECT_EQ(t, vt_pci_nics(), 0);
	KT_EXPECT_EQ(t, vnet_count(), 0);
	KT_EXPECT_EQ(t, vt_vnet_netdevs(), 0);
	ktest_log("no virtio-net pair: checked that none is present");
	return false;
}

/* The pair the harness joins: virtio-net probes first, so its devices
 * are the first netdevs. */
static struct netdev *vt_dev(int i)
{
	return netdev_get(i);
}

KTEST(vnet, functions_match_netdevs)
{
	int n = vt_pci_nics();

	KT_EXPECT_EQ(t, vnet_count(), n);
	KT_EXPECT_EQ(t, vt_vnet_netdevs(), n);
	for (int i = 0; i < n; i++) {
		struct pci_dev *d = pci_find(VIRTIO_PCI_VENDOR, VNET_PCI_DEVICE, i);
		struct netdev *dev = vt_dev(i);

		KT_EXPECT_EQ(t, d->class >> 8, 0x0200); /* network: Ethernet */
		KT_EXPECT(t, d->revision >= 1);         /* modern-only device */
		KT_EXPECT(t, pci_find_cap(d, PCI_CAP_MSIX, 0) != 0);
		KT_EXPECT(t, vnet_stats(dev) != NULL);
		KT_EXPECT_EQ(t, dev->mtu, VNET_MAX_MTU);
		KT_EXPECT(t, dev->name[0] == 'e' && dev->name[3] == '0' + i);
	}
	ktest_log("%d virtio-net functions", n);
}

KTEST(vnet, mac_from_config_space)
{
	static const u8 mac[2][ETH_ALEN] = {
		{ 0x52, 0x54, 0x00, 0x00, 0x00, 0x01 },
		{ 0x52, 0x54, 0x00, 0x00, 0x00, 0x02 },
	};

	if (!vt_have_pair(t))
		return;
	KT_EXPECT(t, !memcmp(vt_dev(0)->mac, mac[0], ETH_ALEN));
	KT_EXPECT(t, !memcmp(vt_dev(1)->mac, mac[1], ETH_ALEN));
}

KTEST(vnet, one_frame_each_way)
{
	static struct np_rx r;

	if (!vt_have_pair(t))
		return;
	KT_ASSERT(t, np_joined(vt_dev(0), vt_dev(1)));
	KT_EXPECT_EQ(t, np_stream(t, vt_dev(0), vt_dev(1), 1, &r), 1);
	KT_EXPECT_EQ(t, r.bad, 0);
	KT_EXPECT_EQ(t, np_stream(t, vt_dev(1), vt_dev(0), 1, &r), 1);
	KT_EXPECT_EQ(t, r.bad, 0);
}

KTEST(vnet, many_frames_with_jumbo)
{
	struct netdev *a, *b;

	if (!vt_have_pair(t))
		return;
	a = vt_dev(0);
	b = vt_dev(1);
	KT_ASSERT(t, np_joined(a, b));
	np_stream_both(t, a, b, VT_FRAMES);
	KT_EXPECT(t, vnet_stats(a)->rx_irqs > 0 && vnet_stats(b)->rx_irqs > 0);
	KT_EXPECT(t, vnet_stats(a)->tx_irqs > 0);
	KT_EXPECT_EQ(t, vnet_stats(a)->rx_errors + vnet_stats(b)->rx_errors, 0);
	/* frames came with their interrupts, not with the timed check */
	KT_EXPECT(t, vnet_stats(a)->rx_irq_missed + vnet_stats(b)->rx_irq_missed <=
		     NP_IRQ_MISSED_MAX);
	ktest_log("eth1 rx irqs %lu, eth0 tx waits %lu", vnet_stats(b)->rx_irqs,
		  vnet_stats(a)->tx_waits);
}
