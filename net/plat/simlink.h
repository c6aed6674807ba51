/*
 * A simulated Ethernet segment for host tests: every frame sent by one
 * port reaches every other port (the stack filters by MAC) after a delay,
 * subject to seeded faults. Time is simulated (plat_sim.c): simlink_run
 * advances the clock event by event and calls net_tick every tick_ns.
 */
#ifndef NET_PLAT_SIMLINK_H
#define NET_PLAT_SIMLINK_H

#include <tessera/net/stack.h>

struct simlink;
struct simport;

struct simlink_faults {
	u32 loss_ppm, dup_ppm, reorder_ppm, corrupt_ppm;
	u64 delay_ns; /* base one-way delay */
	u64 reorder_ns; /* extra delay of a reordered frame */
};

struct simlink *simlink_new(u64 seed);
void simlink_free(struct simlink *l);
void simlink_set_faults(struct simlink *l, const struct simlink_faults *f);
/* A new port; attach its interface with simport_attach once created. */
struct simport *simlink_port(struct simlink *l);
void simport_attach(struct simport *p, struct net_if *nif);
/* Frames on the way to a detached port are dropped (a restarting peer). */
void simport_detach(struct simport *p);
/* A CPU-starved peer: until until_ns the port's interface runs nothing
 * (no frames delivered, no ticks); frames sent to it wait and arrive in
 * order when it wakes. Its drivers (rnodes_run) skip it too. */
void simport_stall(struct simport *p, u64 until_ns);
bool simport_stalled(const struct simport *p);
int simlink_xmit(void *port, const void *frame, size_t len);
/* Deliver frames and run timers until done(arg) or the clock passes
 * until_ns. Returns done(arg). */
bool simlink_run(struct simlink *l, u64 until_ns, bool (*done)(void *arg),
		 void *arg);
u64 simlink_now(struct simlink *l);
/* Frames seen and faults injected so far. */
struct simlink_counts {
	u64 frames, lost, duplicated, reordered, corrupted;
};
void simlink_counts(struct simlink *l, struct simlink_counts *out);

#endif
