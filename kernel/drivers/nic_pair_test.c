/* Two NICs joined to each other: streams of checked frames (nic_pair.h). */
#include <tessera/string.h>
#include <tessera/time.h>

#include "kernel/drivers/nic_pair.h"

#define NP_WINDOW 32
#define NP_LINK_TRIES 100 /* probes 100 ms apart: 10 s for the pair to join */

size_t np_size(u32 seq, u32 mtu)
{
	if (seq % 50 == 49)
		return ETH_HLEN + MIN(mtu, NP_MAX_MTU); /* jumbo */
	return 60 + (seq * 97) % (1514 - 60 + 1);
}

static void np_header(u8 *f, const struct netdev *from, const struct netdev *to)
{
	memcpy(f, to->mac, ETH_ALEN);
	memcpy(f + ETH_ALEN, from->mac, ETH_ALEN);
	f[12] = NP_ETHERTYPE >> 8;
	f[13] = NP_ETHERTYPE & 0xFF;
}

static void np_fill(u8 *f, const struct netdev *from, const struct netdev *to, u32 seq,
		    u32 mtu)
{
	size_t len = np_size(seq, mtu);

	np_header(f, from, to);
	memcpy(f + ETH_HLEN, &seq, sizeof(seq));
	for (size_t i = ETH_HLEN + 4; i < len; i++)
		f[i] = (u8)(seq * 7 + i);
}

static bool np_check(const struct np_rx *r, const u8 *f, size_t len, u32 seq)
{
	static u8 want[ETH_HLEN + NP_MAX_MTU]; /* the RX thread of the pair's receiver */

	if (len != np_size(seq, r->mtu))
		return false;
	np_fill(want, r->from, r->to, seq, r->mtu);
	return memcmp(f, want, len) == 0;
}

static void np_rx_fn(struct netdev *dev, const void *frame, size_t len, void *arg)
{
	struct np_rx *r = arg;
	u32 seq;

	(void)dev;
	if (len < ETH_HLEN + 4)
		return;
	memcpy(&seq, (const u8 *)frame + ETH_HLEN, sizeof(seq));
	if (seq != r->next_seq || !np_check(r, frame, len, seq))
		r->bad++;
	r->next_seq = seq + 1;
	r->got++;
	wake_up_all(&r->wq);
}

static void np_probe_fn(struct netdev *dev, const void *frame, size_t len, void *arg)
{
	struct np_rx *r = arg;

	(void)dev;
	(void)frame;
	(void)len;
	r->got++;
	wake_up_all(&r->wq);
}

/* Probe until one frame gets from src to dst. */
static bool np_link_up(struct netdev *src, struct netdev *dst)
{
	static u8 probe[60]; /* the shortest Ethernet frame */
	static struct np_rx r;
	bool up = false;

	wait_queue_init(&r.wq);
	r.got = 0;
	np_header(probe, src, dst);
	netdev_set_rx(dst, np_probe_fn, &r);
	for (int i = 0; i < NP_LINK_TRIES && !up; i++) {
		netdev_xmit(src, probe, sizeof(probe));
		up = wait_event_timeout(&r.wq, r.got > 0, 100 * NSEC_PER_MSEC);
	}
	netdev_set_rx(dst, NULL, NULL);
	return up;
}

bool np_joined(struct netdev *a, struct netdev *b)
{
	return np_link_up(a, b) && np_link_up(b, a);
}

int np_stream(struct ktest_ctx *t, struct netdev *src, struct netdev *dst, u32 count,
	      struct np_rx *r)
{
	static u8 frame[ETH_HLEN + NP_MAX_MTU]; /* the test thread */

	wait_queue_init(&r->wq);
	r->got = r->bad = 0;
	r->next_seq = 0;
	r->from = src;
	r->to = dst;
	r->mtu = MIN(src->mtu, dst->mtu);
	netdev_set_rx(dst, np_rx_fn, r);
	for (u32 seq = 0; seq < count; seq++) {
		if (!wait_event_timeout(&r->wq, seq - r->got < NP_WINDOW, 2 * NSEC_PER_SEC))
			break;
		np_fill(frame, src, dst, seq, r->mtu);
		KT_EXPECT_EQ(t, netdev_xmit(src, frame, np_size(seq, r->mtu)), 0);
	}
	wait_event_timeout(&r->wq, (u32)r->got == count, 2 * NSEC_PER_SEC);
	netdev_set_rx(dst, NULL, NULL);
	return r->got;
}

void np_stream_both(struct ktest_ctx *t, struct netdev *a, struct netdev *b, u32 count)
{
	static struct np_rx r; /* the test thread */
	u64 rx0 = b->stats.rx_frames, tx0 = a->stats.tx_frames;

	KT_EXPECT_EQ(t, np_stream(t, a, b, count, &r), count);
	KT_EXPECT_EQ(t, r.bad, 0);
	KT_EXPECT_EQ(t, b->stats.rx_frames - rx0, count);
	KT_EXPECT_EQ(t, a->stats.tx_frames - tx0, count);
	KT_EXPECT_EQ(t, np_stream(t, b, a, count / 4, &r), count / 4);
	KT_EXPECT_EQ(t, r.bad, 0);
}
