/*
 * virtio-net against QEMU. With the test harness's two NICs on one hub
 * (eth0 = 52:54:00:00:00:01, eth1 = 52:54:00:00:00:02), frames sent on one
 * arrive on the other. Without virtio-net functions, every test checks that
 * the driver, the registry and the PCI table agree there are none.
 */
#include <tessera/ktest.h>
#include <tessera/netdev.h>
#include <tessera/pci.h>
#include <tessera/string.h>
#include <tessera/time.h>
#include <tessera/virtio.h>
#include <tessera/wait.h>

#include "kernel/drivers/virtio_net.h"

#define VT_ETHERTYPE 0x88B6 /* local experimental 2 (0x88B5 is the rig echo) */
#define VT_FRAMES 2000
#define VT_WINDOW 32
#define VT_LINK_TRIES 100 /* probes 100 ms apart: 10 s for the pair to join */

/* Frames seen by a receive handler; guarded by nothing: one RX thread
 * writes, the test thread reads after waiting on wq. */
struct vt_rx {
	struct wait_queue wq;
	volatile int got, bad;
	u32 next_seq;
};

static int vt_pci_nics(void)
{
	int n = 0;

	while (pci_find(VIRTIO_PCI_VENDOR, VNET_PCI_DEVICE, n))
		n++;
	return n;
}

/* True when the harness's NICs are present; otherwise checks absence. */
static bool vt_have_pair(struct ktest_ctx *t)
{
	if (vt_pci_nics() >= 2 && netdev_count() >= 2)
		return true;
	KT_EXPECT_EQ(t, vt_pci_nics(), 0);
	KT_EXPECT_EQ(t, vnet_count(), 0);
	KT_EXPECT_EQ(t, netdev_count(), 0);
	KT_EXPECT(t, netdev_get(0) == NULL);
	ktest_log("no virtio-net pair: checked that none is present");
	return false;
}

static size_t vt_size(u32 seq)
{
	if (seq % 50 == 49)
		return ETH_HLEN + VNET_MAX_MTU; /* jumbo */
	return 60 + (seq * 97) % (1514 - 60 + 1);
}

static void vt_header(u8 *f, const struct netdev *from, const struct netdev *to)
{
	memcpy(f, to->mac, ETH_ALEN);
	memcpy(f + ETH_ALEN, from->mac, ETH_ALEN);
	f[12] = VT_ETHERTYPE >> 8;
	f[13] = VT_ETHERTYPE & 0xFF;
}

static void vt_fill(u8 *f, const struct netdev *from, const struct netdev *to, u32 seq)
{
	size_t len = vt_size(seq);

	vt_header(f, from, to);
	memcpy(f + ETH_HLEN, &seq, sizeof(seq));
	for (size_t i = ETH_HLEN + 4; i < len; i++)
		f[i] = (u8)(seq * 7 + i);
}

static bool vt_check(const u8 *f, size_t len, u32 seq)
{
	static u8 want[ETH_HLEN + VNET_MAX_MTU];
	bool to0 = !memcmp(f, netdev_get(0)->mac, ETH_ALEN);
	const struct netdev *to = netdev_get(to0 ? 0 : 1), *from = netdev_get(to0 ? 1 : 0);

	if (len != vt_size(seq))
		return false;
	vt_fill(want, from, to, seq);
	return memcmp(f, want, len) == 0;
}

static void vt_rx_fn(struct netdev *dev, const void *frame, size_t len, void *arg)
{
	struct vt_rx *r = arg;
	u32 seq;

	if (len < ETH_HLEN + 4)
		return;
	memcpy(&seq, (const u8 *)frame + ETH_HLEN, sizeof(seq));
	if (seq != r->next_seq || !vt_check(frame, len, seq))
		r->bad++;
	r->next_seq = seq + 1;
	r->got++;
	wake_up_all(&r->wq);
}

KTEST(vnet, functions_match_netdevs)
{
	int n = vt_pci_nics();

	KT_EXPECT_EQ(t, vnet_count(), n);
	KT_EXPECT_EQ(t, netdev_count(), n);
	for (int i = 0; i < n; i++) {
		struct pci_dev *d = pci_find(VIRTIO_PCI_VENDOR, VNET_PCI_DEVICE, i);
		struct netdev *dev = netdev_get(i);

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
	KT_EXPECT(t, !memcmp(netdev_get(0)->mac, mac[0], ETH_ALEN));
	KT_EXPECT(t, !memcmp(netdev_get(1)->mac, mac[1], ETH_ALEN));
}

static void vt_probe_fn(struct netdev *dev, const void *frame, size_t len, void *arg)
{
	struct vt_rx *r = arg;

	(void)dev;
	(void)frame;
	(void)len;
	r->got++;
	wake_up_all(&r->wq);
}

/*
 * The harness joins the two NICs through a fabric that connects to
 * QEMU's sockets in the background, possibly after the guest has booted;
 * frames sent before that are dropped on the host side. Probe until one arrives each way, so
 * the counted streams below start on a joined pair.
 */
static bool vt_link_up(int from, int to)
{
	static u8 probe[60]; /* the shortest Ethernet frame */
	static struct vt_rx r;
	struct netdev *src = netdev_get(from), *dst = netdev_get(to);
	bool up = false;

	wait_queue_init(&r.wq);
	r.got = 0;
	vt_header(probe, src, dst);
	netdev_set_rx(dst, vt_probe_fn, &r);
	for (int i = 0; i < VT_LINK_TRIES && !up; i++) {
		netdev_xmit(src, probe, sizeof(probe));
		up = wait_event_timeout(&r.wq, r.got > 0, 100 * NSEC_PER_MSEC);
	}
	netdev_set_rx(dst, NULL, NULL);
	return up;
}

/* True when the pair carries frames both ways (within 10 s). */
static bool vt_joined(void)
{
	return vt_link_up(0, 1) && vt_link_up(1, 0);
}

/* Send `count` frames from one NIC to the other, at most VT_WINDOW ahead
 * of the receiver; returns how many arrived, all checked into r. */
static int vt_stream(struct ktest_ctx *t, int from, int to, u32 count, struct vt_rx *r)
{
	static u8 frame[ETH_HLEN + VNET_MAX_MTU];
	struct netdev *src = netdev_get(from), *dst = netdev_get(to);

	wait_queue_init(&r->wq);
	r->got = r->bad = 0;
	r->next_seq = 0;
	netdev_set_rx(dst, vt_rx_fn, r);
	for (u32 seq = 0; seq < count; seq++) {
		if (!wait_event_timeout(&r->wq, seq - r->got < VT_WINDOW, 2 * NSEC_PER_SEC))
			break;
		vt_fill(frame, src, dst, seq);
		KT_EXPECT_EQ(t, netdev_xmit(src, frame, vt_size(seq)), 0);
	}
	wait_event_timeout(&r->wq, (u32)r->got == count, 2 * NSEC_PER_SEC);
	netdev_set_rx(dst, NULL, NULL);
	return r->got;
}

KTEST(vnet, one_frame_each_way)
{
	static struct vt_rx r;

	if (!vt_have_pair(t))
		return;
	KT_ASSERT(t, vt_joined());
	KT_EXPECT_EQ(t, vt_stream(t, 0, 1, 1, &r), 1);
	KT_EXPECT_EQ(t, r.bad, 0);
	KT_EXPECT_EQ(t, vt_stream(t, 1, 0, 1, &r), 1);
	KT_EXPECT_EQ(t, r.bad, 0);
}

KTEST(vnet, many_frames_with_jumbo)
{
	static struct vt_rx r;
	struct netdev *a, *b;
	u64 rx0, tx0;

	if (!vt_have_pair(t))
		return;
	KT_ASSERT(t, vt_joined());
	a = netdev_get(0);
	b = netdev_get(1);
	rx0 = b->stats.rx_frames;
	tx0 = a->stats.tx_frames;
	KT_EXPECT_EQ(t, vt_stream(t, 0, 1, VT_FRAMES, &r), VT_FRAMES);
	KT_EXPECT_EQ(t, r.bad, 0);
	KT_EXPECT_EQ(t, b->stats.rx_frames - rx0, VT_FRAMES);
	KT_EXPECT_EQ(t, a->stats.tx_frames - tx0, VT_FRAMES);
	KT_EXPECT_EQ(t, vt_stream(t, 1, 0, VT_FRAMES / 4, &r), VT_FRAMES / 4);
	KT_EXPECT_EQ(t, r.bad, 0);
	KT_EXPECT(t, vnet_stats(a)->rx_irqs > 0 && vnet_stats(b)->rx_irqs > 0);
	KT_EXPECT(t, vnet_stats(a)->tx_irqs > 0);
	KT_EXPECT_EQ(t, vnet_stats(a)->rx_errors + vnet_stats(b)->rx_errors, 0);
	/* every frame came with its interrupt: none waited for the timed check */
	KT_EXPECT_EQ(t, vnet_stats(a)->rx_irq_missed + vnet_stats(b)->rx_irq_missed, 0);
	ktest_log("eth1 rx irqs %lu, eth0 tx waits %lu", vnet_stats(b)->rx_irqs,
		  vnet_stats(a)->tx_waits);
}
