/*
 * The fabric's forwarding core: a learning Ethernet switch with fault
 * injection, written as portable C with no I/O and no clock of its own.
 *
 * fabric_switch_input() takes one frame that arrived on a port at time
 * `now_ns` and returns the deliveries it makes: which port gets a copy and
 * when it is due. The caller (tools/fabric/main.c, or a unit test) does the
 * sending. Faults are configured per ingress port, so a port's settings are
 * one-way: they shape the frames that port sends into the fabric.
 *
 * Every egress copy the switch considers is counted once in `copies` of the
 * ingress port and ends in exactly one of: a delivery, drop_cut,
 * drop_partition or drop_fault. A duplicate adds one delivery and one `dups`.
 *
 * All randomness comes from one generator seeded by fabric_switch_init(), so
 * a run with the same seed and the same input sequence makes the same choices.
 * The structure is not locked: one thread owns it.
 */
#ifndef TOOLS_FABRIC_SWITCH_H
#define TOOLS_FABRIC_SWITCH_H

#include <tessera/types.h>

#define FABRIC_MAX_PORTS 64
#define FABRIC_MIN_FRAME 14   /* an Ethernet header */
/* The largest frame: an Ethernet header and the monitors' jumbo payload
 * (VNET_MAX_MTU, 9216 bytes); RoCEv2 with a 4096 MTU fits. */
#define FABRIC_MAX_FRAME (FABRIC_MIN_FRAME + 9216)
#define FABRIC_MAC_SLOTS 1024 /* power of two */
#define FABRIC_MAX_DELIVERIES (2 * FABRIC_MAX_PORTS)

/* Faults applied to frames entering the fabric from one port. */
struct fabric_faults {
	u32 latency_us; /* added one-way delay */
	u32 reorder_us; /* a reordered frame is held up to this much longer */
	double drop;    /* probability a copy is lost */
	double dup;     /* probability a copy is delivered twice */
	double reorder; /* probability a copy is held back (reorder_us) */
};

struct fabric_port_stats {
	u64 rx_frames, rx_bytes; /* frames received from the port */
	u64 copies;              /* egress copies considered for those frames */
	u64 drop_fault;          /* copies lost to the drop probability */
	u64 drop_cut;            /* copies lost because either end was cut */
	u64 drop_partition;      /* copies lost between partitioned sets */
	u64 dups, reorders;      /* extra copies made; copies held back */
	/* Kept by the I/O layer: frames written to the port, frames it lost
	 * because the port was gone or its output buffer was full. */
	u64 tx_frames, tx_bytes, tx_drops;
};

struct fabric_port {
	bool present; /* a peer is connected */
	bool cut;     /* "down": nothing enters or leaves */
	u8 group;     /* partition side, 0 when not partitioned */
	struct fabric_faults faults;
	struct fabric_port_stats st;
};

struct fabric_mac_entry {
	u8 mac[6];
	u8 used;
	u8 port;
};

struct fabric_switch {
	struct fabric_port port[FABRIC_MAX_PORTS];
	struct fabric_mac_entry mac[FABRIC_MAC_SLOTS];
	unsigned nmacs;
	u64 seed;
	u64 rng[4];
};

#define FABRIC_DELIVER_DUP 1u      /* the second copy of a duplicate */
#define FABRIC_DELIVER_REORDERED 2u /* held back by the reorder fault */

struct fabric_delivery {
	u64 due_ns;
	u16 port;
	u16 flags;
	u32 pad;
};

void fabric_switch_init(struct fabric_switch *sw, u64 seed);
/* A peer connected to / left port `p`; leaving forgets the MACs seen there. */
void fabric_switch_attach(struct fabric_switch *sw, unsigned p);
void fabric_switch_detach(struct fabric_switch *sw, unsigned p);
/* Split the ports in two sets; traffic between the sets is dropped. Ports in
 * neither set talk to everyone. */
void fabric_switch_partition(struct fabric_switch *sw, u64 set_a, u64 set_b);
void fabric_switch_heal(struct fabric_switch *sw);
/* The port that last sent from `mac`, or -1. */
int fabric_switch_lookup(const struct fabric_switch *sw, const u8 *mac);
/* Forward one frame from port `in`; fills `out` (room for
 * FABRIC_MAX_DELIVERIES) and returns how many deliveries it made. */
unsigned fabric_switch_input(struct fabric_switch *sw, unsigned in,
			     const u8 *frame, size_t len, u64 now_ns,
			     struct fabric_delivery *out);
/* A uniform random number in [0, 1) from the switch's generator. */
double fabric_switch_random(struct fabric_switch *sw);

#endif
