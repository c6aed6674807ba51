/*
 * Test helpers for two NICs joined to each other (the kernel suite joins
 * the processor test image's NICs through a fabric): frames streamed from
 * one to the other and checked byte by byte. Used by the tests of every
 * NIC driver.
 */
#ifndef KERNEL_DRIVERS_NIC_PAIR_H
#define KERNEL_DRIVERS_NIC_PAIR_H

#include <tessera/ktest.h>
#include <tessera/netdev.h>
#include <tessera/wait.h>

#define NP_ETHERTYPE 0x88B6 /* local experimental 2 (0x88B5 is the rig echo) */
#define NP_MAX_MTU 9216     /* the largest payload a test frame carries */

/* Frames seen by a receive handler; guarded by nothing: one RX thread
 * writes, the test thread reads after waiting on wq. */
struct np_rx {
	struct wait_queue wq;
	volatile int got, bad;
	u32 next_seq;
	const struct netdev *from, *to;
	u32 mtu;
};

/* True when frames get from a to b and back (probes for up to 10 s: the
 * fabric may join the NICs after the guest has booted). */
bool np_joined(struct netdev *a, struct netdev *b);
/* Send `count` frames from src to dst (sizes 60..1514, and one of every 50
 * jumbo at the pair's smaller mtu), at most a window ahead of the
 * receiver; returns how many arrived, each checked into r. */
int np_stream(struct ktest_ctx *t, struct netdev *src, struct netdev *dst, u32 count,
	      struct np_rx *r);
/* Stream count frames a -> b, then count / 4 b -> a, expecting every one
 * to arrive intact and the netdev counters to agree: the NIC tests' main
 * load. */
void np_stream_both(struct ktest_ctx *t, struct netdev *a, struct netdev *b, u32 count);

/* How many of a stream's frames may be found by a driver's timed RX check
 * rather than by its interrupt: under TCG on a loaded host the vCPU can
 * stop for longer than the check period, and then the period ends before
 * the interrupt is taken. A lost-interrupt bug misses far more (a stream
 * of 2000 frames here missed hundreds). */
#define NP_IRQ_MISSED_MAX 2

/* The frame size np_stream uses for seq at this mtu. */
size_t np_size(u32 seq, u32 mtu);

#endif
