/*
 * The netdev send/receive path on a device that is never registered (so
 * the registry seen by other tests is untouched): length checks, counters,
 * receive handler dispatch.
 */
#include <tessera/errno.h>
#include <tessera/ktest.h>
#include <tessera/netdev.h>
#include <tessera/string.h>

struct nd_fake {
	int sent, received;
	size_t last_len;
	u8 last[64];
};

static int nd_fake_xmit(struct netdev *dev, const void *frame, size_t len)
{
	struct nd_fake *f = dev->priv;

	f->sent++;
	f->last_len = len;
	memcpy(f->last, frame, MIN(len, sizeof(f->last)));
	return len == 100 ? -EIO : 0; /* a length the fake refuses */
}

static void nd_fake_rx(struct netdev *dev, const void *frame, size_t len, void *arg)
{
	struct nd_fake *f = arg;

	f->received++;
	f->last_len = len;
	memcpy(f->last, frame, MIN(len, sizeof(f->last)));
}

static const struct netdev_ops nd_fake_ops = { .xmit = nd_fake_xmit };

KTEST(netdev, xmit_checks_lengths_and_counts)
{
	static struct nd_fake f;
	static struct netdev dev = { .mtu = 1500, .ops = &nd_fake_ops };
	static u8 frame[1600];

	dev.priv = &f;
	memset(frame, 0xA5, sizeof(frame));
	KT_EXPECT_EQ(t, netdev_xmit(&dev, frame, 60), 0);
	KT_EXPECT_EQ(t, netdev_xmit(&dev, frame, ETH_HLEN + 1500), 0);
	KT_EXPECT_EQ(t, netdev_xmit(&dev, frame, ETH_HLEN - 1), -EINVAL);
	KT_EXPECT_EQ(t, netdev_xmit(&dev, frame, ETH_HLEN + 1501), -EMSGSIZE);
	KT_EXPECT_EQ(t, netdev_xmit(&dev, frame, 100), -EIO);
	KT_EXPECT_EQ(t, f.sent, 3);
	KT_EXPECT_EQ(t, dev.stats.tx_frames, 2);
	KT_EXPECT_EQ(t, dev.stats.tx_bytes, 60 + ETH_HLEN + 1500);
	KT_EXPECT_EQ(t, dev.stats.tx_dropped, 3);
}

KTEST(netdev, deliver_calls_handler_or_drops)
{
	static struct nd_fake f;
	static struct netdev dev = { .mtu = 1500, .ops = &nd_fake_ops };
	static const u8 frame[20] = { 1, 2, 3, 4, 5, 6, 7 };

	netdev_deliver(&dev, frame, sizeof(frame));
	KT_EXPECT_EQ(t, dev.stats.rx_dropped, 1);
	netdev_set_rx(&dev, nd_fake_rx, &f);
	netdev_deliver(&dev, frame, sizeof(frame));
	KT_EXPECT_EQ(t, f.received, 1);
	KT_EXPECT_EQ(t, f.last_len, sizeof(frame));
	KT_EXPECT(t, memcmp(f.last, frame, sizeof(frame)) == 0);
	KT_EXPECT_EQ(t, dev.stats.rx_frames, 1);
	KT_EXPECT_EQ(t, dev.stats.rx_bytes, sizeof(frame));
	KT_EXPECT(t, netdev_get(-1) == NULL);
	KT_EXPECT(t, netdev_get(netdev_count()) == NULL);
}
