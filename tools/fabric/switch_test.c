/*
 * Host unit tests of the fabric's forwarding core: learning, flooding,
 * cut and partition, and fault statistics over 10^5 frames checked against
 * the configured probabilities (tolerances are several standard deviations,
 * and the seed is fixed, so the tests are deterministic).
 */
#include <math.h>
#include <string.h>

#include <tessera/ktest.h>

#include "tools/fabric/switch.h"

#define NFRAMES 100000

static struct fabric_switch sw;
static struct fabric_delivery out[FABRIC_MAX_DELIVERIES];

static void frame(u8 *f, u8 dst, u8 src)
{
	static const u8 base[6] = { 0x52, 0x54, 0x00, 0x77, 0x00, 0x00 };

	memset(f, 0, 64);
	memcpy(f, base, 6);
	memcpy(f + 6, base, 6);
	f[5] = dst;
	f[11] = src;
	if (dst == 0xff)
		memset(f, 0xff, 6);
	f[12] = 0x88;
	f[13] = 0xb5;
}

static void setup(unsigned nports)
{
	fabric_switch_init(&sw, 1234);
	for (unsigned p = 0; p < nports; p++)
		fabric_switch_attach(&sw, p);
}

static unsigned send(unsigned in, u8 dst, u8 src)
{
	u8 f[64];

	frame(f, dst, src);
	return fabric_switch_input(&sw, in, f, sizeof(f), 1000, out);
}

KTEST(fabric_switch, floods_unknown_then_learns)
{
	setup(4);
	KT_EXPECT_EQ(t, send(0, 2, 1), 3);   /* 2 unknown: flood */
	KT_EXPECT_EQ(t, send(2, 1, 2), 1);   /* 1 learnt on port 0 */
	KT_EXPECT_EQ(t, out[0].port, 0);
	KT_EXPECT_EQ(t, send(0, 2, 1), 1);
	KT_EXPECT_EQ(t, out[0].port, 2);
	KT_EXPECT_EQ(t, fabric_switch_lookup(&sw, (u8[]){ 0x52, 0x54, 0, 0x77, 0, 2 }), 2);
}

KTEST(fabric_switch, broadcast_floods_all_others)
{
	setup(5);
	send(1, 3, 3);
	KT_EXPECT_EQ(t, send(0, 0xff, 1), 4);
	for (unsigned i = 0; i < 4; i++)
		KT_EXPECT(t, out[i].port != 0);
	KT_EXPECT_EQ(t, sw.port[0].st.copies, 4);
}

KTEST(fabric_switch, detach_forgets_and_moves)
{
	setup(3);
	send(1, 0xff, 7);
	KT_EXPECT_EQ(t, send(0, 7, 1), 1);
	fabric_switch_detach(&sw, 1);
	KT_EXPECT_EQ(t, send(0, 7, 1), 1); /* flooded to port 2 only */
	KT_EXPECT_EQ(t, out[0].port, 2);
	send(2, 0xff, 7);                  /* MAC moved */
	KT_EXPECT_EQ(t, send(0, 7, 1), 1);
	KT_EXPECT_EQ(t, out[0].port, 2);
	KT_EXPECT_EQ(t, send(0, 1, 1), 0); /* never back out the way it came */
}

KTEST(fabric_switch, cut_and_partition)
{
	setup(4);
	sw.port[3].cut = true;
	KT_EXPECT_EQ(t, send(0, 0xff, 1), 2);
	KT_EXPECT_EQ(t, send(3, 0xff, 4), 0);
	KT_EXPECT_EQ(t, sw.port[0].st.drop_cut, 1);
	KT_EXPECT_EQ(t, sw.port[3].st.drop_cut, 3);
	sw.port[3].cut = false;
	fabric_switch_partition(&sw, 1u << 0 | 1u << 1, 1u << 2);
	KT_EXPECT_EQ(t, send(0, 0xff, 1), 2); /* port 1 and port 3 (no side) */
	KT_EXPECT_EQ(t, sw.port[0].st.drop_partition, 1);
	fabric_switch_heal(&sw);
	KT_EXPECT_EQ(t, send(0, 0xff, 1), 3);
}

KTEST(fabric_switch, latency_sets_due_time)
{
	setup(2);
	sw.port[0].faults.latency_us = 250;
	KT_EXPECT_EQ(t, send(0, 0xff, 1), 1);
	KT_EXPECT_EQ(t, out[0].due_ns, 1000 + 250000);
	KT_EXPECT_EQ(t, send(1, 0xff, 2), 1);
	KT_EXPECT_EQ(t, out[0].due_ns, 1000);
}

/* |observed - expected| within 5 standard deviations of a binomial count. */
static bool near(u64 observed, double p, u64 n)
{
	double mean = p * n, sd = sqrt(n * p * (1 - p));

	ktest_log("observed %llu, expected %.0f (sd %.1f)",
		  (unsigned long long)observed, mean, sd);
	return fabs((double)observed - mean) <= 5 * sd + 1;
}

static void run_two_ports(const struct fabric_faults *f, u64 *delivered)
{
	setup(2);
	send(1, 0xff, 2); /* learn port 1 so every frame is one copy */
	sw.port[0].faults = *f;
	*delivered = 0;
	for (unsigned i = 0; i < NFRAMES; i++)
		*delivered += send(0, 2, 1);
}

KTEST(fabric_switch, drop_rate_matches)
{
	struct fabric_faults f = { .drop = 0.1 };
	u64 got;

	run_two_ports(&f, &got);
	KT_EXPECT(t, near(sw.port[0].st.drop_fault, 0.1, NFRAMES));
	KT_EXPECT_EQ(t, got + sw.port[0].st.drop_fault, NFRAMES);
	KT_EXPECT_EQ(t, sw.port[0].st.copies, NFRAMES);
}

KTEST(fabric_switch, dup_rate_matches)
{
	struct fabric_faults f = { .dup = 0.05 };
	u64 got;

	run_two_ports(&f, &got);
	KT_EXPECT(t, near(sw.port[0].st.dups, 0.05, NFRAMES));
	KT_EXPECT_EQ(t, got, NFRAMES + sw.port[0].st.dups);
}

KTEST(fabric_switch, reorder_rate_and_window)
{
	struct fabric_faults f = { .latency_us = 10, .reorder = 0.2,
				   .reorder_us = 500 };
	u64 held = 0;

	setup(2);
	send(1, 0xff, 2);
	sw.port[0].faults = f;
	for (unsigned i = 0; i < NFRAMES; i++) {
		send(0, 2, 1);
		if (out[0].flags & FABRIC_DELIVER_REORDERED) {
			u64 extra = out[0].due_ns - 1000 - 10000;

			held++;
			KT_ASSERT(t, extra >= 1000 && extra <= 501000);
		} else {
			KT_ASSERT(t, out[0].due_ns == 1000 + 10000);
		}
	}
	KT_EXPECT(t, near(held, 0.2, NFRAMES));
	KT_EXPECT_EQ(t, held, sw.port[0].st.reorders);
}

KTEST(fabric_switch, same_seed_same_choices)
{
	struct fabric_faults f = { .drop = 0.3, .dup = 0.3 };
	u64 a, b;

	run_two_ports(&f, &a);
	run_two_ports(&f, &b);
	KT_EXPECT_EQ(t, a, b);
	fabric_switch_init(&sw, 99);
	KT_EXPECT(t, fabric_switch_random(&sw) != 0);
}
