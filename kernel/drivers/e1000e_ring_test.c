/*
 * The e1000e rings against a model of the device: the model owns the
 * descriptors from its head up to the tail the driver wrote, as the 82574
 * does, and fails the test if it is ever given one the driver has not
 * finished with.
 */
#include <tessera/errno.h>
#include <tessera/ktest.h>
#include <tessera/string.h>

#include "kernel/drivers/e1000e_ring.h"

#define RT_SIZE 8
#define RT_MIN 60

struct rt_dev {
	u16 head, tail;
	int overrun; /* descriptors written that the driver still held */
};

struct rt_seen {
	int n;
	u16 idx[4 * RT_SIZE], len[4 * RT_SIZE];
};

static void rt_deliver(void *arg, u16 idx, u16 len)
{
	struct rt_seen *s = arg;

	s->idx[s->n] = idx;
	s->len[s->n++] = len;
}

/* The device receives one buffer's worth; false when it has none. */
static bool rt_dev_rx(struct rt_dev *m, struct e1k_rxr *r, u16 len, u8 status, u8 errors)
{
	struct e1k_rx_desc *d;

	if (m->head == m->tail)
		return false;
	d = &r->d[m->head];
	if (d->status)
		m->overrun++;
	d->length = len;
	d->errors = errors;
	d->status = status | E1K_RXD_DD;
	m->head = (u16)((m->head + 1) % r->size);
	return true;
}

static void rt_rx_setup(struct e1k_rxr *r, struct e1k_rx_desc *d, struct rt_dev *m)
{
	u64 buf[RT_SIZE];

	for (int i = 0; i < RT_SIZE; i++)
		buf[i] = 0x100000 + i * 0x4000ull;
	e1k_rx_init(r, d, RT_SIZE, buf);
	memset(m, 0, sizeof(*m));
	m->tail = e1k_rx_first_tail(r);
}

KTEST(e1k_ring, rx_frames_in_order_across_wraps)
{
	static struct e1k_rx_desc d[RT_SIZE];
	static struct e1k_rxr r;
	static struct rt_dev m;
	struct e1k_rx_counts c = { 0 };
	int total = 0;

	rt_rx_setup(&r, d, &m);
	KT_EXPECT_EQ(t, d[3].addr, 0x100000 + 3 * 0x4000ull);
	for (int round = 0; round < 5; round++) {
		static struct rt_seen s;
		int n = 0, tail;

		s.n = 0;
		while (rt_dev_rx(&m, &r, (u16)(RT_MIN + total + n), E1K_RXD_EOP, 0))
			n++;
		KT_EXPECT_EQ(t, n, RT_SIZE - 1); /* all but the one held back */
		tail = e1k_rx_poll(&r, RT_MIN, rt_deliver, &s, &c);
		KT_ASSERT(t, tail >= 0);
		m.tail = (u16)tail;
		KT_EXPECT_EQ(t, s.n, n);
		for (int i = 0; i < s.n; i++)
			KT_EXPECT_EQ(t, s.len[i], RT_MIN + total + i);
		total += n;
	}
	KT_EXPECT_EQ(t, c.frames, (u64)total);
	KT_EXPECT_EQ(t, c.errors + c.split, 0);
	KT_EXPECT_EQ(t, m.overrun, 0);
	KT_EXPECT_EQ(t, e1k_rx_poll(&r, RT_MIN, rt_deliver, NULL, &c), -1);
}

KTEST(e1k_ring, rx_errors_and_runts_counted_not_delivered)
{
	static struct e1k_rx_desc d[RT_SIZE];
	static struct e1k_rxr r;
	static struct rt_dev m;
	static struct rt_seen s;
	struct e1k_rx_counts c = { 0 };

	rt_rx_setup(&r, d, &m);
	rt_dev_rx(&m, &r, 100, E1K_RXD_EOP, 0x01); /* CRC error */
	rt_dev_rx(&m, &r, 20, E1K_RXD_EOP, 0);     /* shorter than a header */
	rt_dev_rx(&m, &r, 200, E1K_RXD_EOP, 0);
	KT_EXPECT_EQ(t, e1k_rx_poll(&r, RT_MIN, rt_deliver, &s, &c), 2);
	KT_EXPECT_EQ(t, s.n, 1);
	KT_EXPECT_EQ(t, s.idx[0], 2);
	KT_EXPECT_EQ(t, s.len[0], 200);
	KT_EXPECT_EQ(t, c.errors, 2);
	KT_EXPECT_EQ(t, c.frames, 1);
}

KTEST(e1k_ring, rx_frame_over_several_buffers_dropped_whole)
{
	static struct e1k_rx_desc d[RT_SIZE];
	static struct e1k_rxr r;
	static struct rt_dev m;
	static struct rt_seen s;
	struct e1k_rx_counts c = { 0 };

	rt_rx_setup(&r, d, &m);
	rt_dev_rx(&m, &r, 16384, 0, 0);
	KT_EXPECT_EQ(t, e1k_rx_poll(&r, RT_MIN, rt_deliver, &s, &c), 0);
	rt_dev_rx(&m, &r, 16384, 0, 0);
	rt_dev_rx(&m, &r, 500, E1K_RXD_EOP, 0); /* its last piece */
	rt_dev_rx(&m, &r, 300, E1K_RXD_EOP, 0); /* the next frame is whole */
	KT_EXPECT_EQ(t, e1k_rx_poll(&r, RT_MIN, rt_deliver, &s, &c), 3);
	KT_EXPECT_EQ(t, s.n, 1);
	KT_EXPECT_EQ(t, s.len[0], 300);
	KT_EXPECT_EQ(t, c.split, 1);
	KT_EXPECT_EQ(t, c.errors, 0);
}

/* The device sends everything from its head to the tail. */
static int rt_dev_tx(u16 *head, u16 tail, struct e1k_txr *r)
{
	int n = 0;

	for (; *head != tail; *head = (u16)((*head + 1) % r->size), n++)
		r->d[*head].status = E1K_TXD_DD;
	return n;
}

KTEST(e1k_ring, tx_fills_to_size_minus_one_then_reclaims)
{
	static struct e1k_tx_desc d[RT_SIZE];
	static struct e1k_txr r;
	u16 head = 0, tail = 0;
	int slot;

	e1k_tx_init(&r, d, RT_SIZE);
	for (int i = 0; i < RT_SIZE - 1; i++) {
		slot = e1k_tx_slot(&r);
		KT_EXPECT_EQ(t, slot, i);
		tail = e1k_tx_post(&r, 0x200000 + (u64)i, (u16)(64 + i));
	}
	KT_EXPECT_EQ(t, e1k_tx_slot(&r), -ENOBUFS);
	KT_EXPECT_EQ(t, e1k_tx_in_flight(&r), RT_SIZE - 1);
	KT_EXPECT_EQ(t, d[2].length, 66);
	KT_EXPECT(t, d[2].cmd & E1K_TXD_CMD_RS);
	KT_EXPECT(t, d[2].cmd & E1K_TXD_CMD_EOP);
	e1k_tx_reclaim(&r); /* nothing sent yet */
	KT_EXPECT_EQ(t, e1k_tx_slot(&r), -ENOBUFS);
	KT_EXPECT_EQ(t, rt_dev_tx(&head, tail, &r), RT_SIZE - 1);
	e1k_tx_reclaim(&r);
	KT_EXPECT_EQ(t, e1k_tx_in_flight(&r), 0);
	slot = e1k_tx_slot(&r);
	KT_EXPECT_EQ(t, slot, RT_SIZE - 1);
	tail = e1k_tx_post(&r, 0x300000, 100);
	KT_EXPECT_EQ(t, tail, 0); /* wrapped */
	KT_EXPECT_EQ(t, d[RT_SIZE - 1].status, 0);
}

KTEST(e1k_ring, tx_reclaim_stops_at_first_unsent)
{
	static struct e1k_tx_desc d[RT_SIZE];
	static struct e1k_txr r;

	e1k_tx_init(&r, d, RT_SIZE);
	for (int i = 0; i < 4; i++)
		e1k_tx_post(&r, 0x1000, 64);
	d[0].status = E1K_TXD_DD;
	d[2].status = E1K_TXD_DD; /* out of order: not reclaimed past 1 */
	e1k_tx_reclaim(&r);
	KT_EXPECT_EQ(t, r.next_clean, 1);
	KT_EXPECT_EQ(t, e1k_tx_in_flight(&r), 3);
}
