/*
 * The fabric's forwarding core (see switch.h): MAC learning in an
 * open-addressed table, unicast/flood decisions, and the fault choices made
 * for every egress copy.
 */
#include <string.h>

#include "tools/fabric/switch.h"

static u64 rotl(u64 x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** */
static u64 rng_next(struct fabric_switch *sw)
{
	u64 *s = sw->rng;
	u64 r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

double fabric_switch_random(struct fabric_switch *sw)
{
	return (double)(rng_next(sw) >> 11) * 0x1.0p-53;
}

static bool chance(struct fabric_switch *sw, double p)
{
	return p > 0 && fabric_switch_random(sw) < p;
}

void fabric_switch_init(struct fabric_switch *sw, u64 seed)
{
	u64 x = seed;

	memset(sw, 0, sizeof(*sw));
	sw->seed = seed;
	for (int i = 0; i < 4; i++) { /* splitmix64 fills the state */
		u64 z = (x += 0x9e3779b97f4a7c15ull);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		sw->rng[i] = z ^ (z >> 31);
	}
}

static unsigned mac_hash(const u8 *mac)
{
	u32 h = 2166136261u;

	for (int i = 0; i < 6; i++)
		h = (h ^ mac[i]) * 16777619u;
	return h & (FABRIC_MAC_SLOTS - 1);
}

/* The slot holding `mac`, or the empty slot where it would go. */
static struct fabric_mac_entry *mac_slot(const struct fabric_switch *sw,
					 const u8 *mac)
{
	unsigned i = mac_hash(mac);

	while (sw->mac[i].used && memcmp(sw->mac[i].mac, mac, 6))
		i = (i + 1) & (FABRIC_MAC_SLOTS - 1);
	return (struct fabric_mac_entry *)&sw->mac[i];
}

int fabric_switch_lookup(const struct fabric_switch *sw, const u8 *mac)
{
	const struct fabric_mac_entry *e = mac_slot(sw, mac);

	return e->used ? e->port : -1;
}

/* Learn that `mac` lives on port `p`; a full table simply stops learning
 * (unknown destinations are flooded, so nothing is lost but efficiency). */
static void mac_learn(struct fabric_switch *sw, const u8 *mac, unsigned p)
{
	struct fabric_mac_entry *e;

	if (mac[0] & 1)
		return;
	e = mac_slot(sw, mac);
	if (!e->used) {
		if (sw->nmacs >= FABRIC_MAC_SLOTS * 3 / 4)
			return;
		memcpy(e->mac, mac, 6);
		e->used = 1;
		sw->nmacs++;
	}
	e->port = (u8)p;
}

/* Drop every MAC learnt on port `p` and rehash the rest. */
static void mac_forget_port(struct fabric_switch *sw, unsigned p)
{
	struct fabric_mac_entry old[FABRIC_MAC_SLOTS];

	memcpy(old, sw->mac, sizeof(old));
	memset(sw->mac, 0, sizeof(sw->mac));
	sw->nmacs = 0;
	for (unsigned i = 0; i < FABRIC_MAC_SLOTS; i++)
		if (old[i].used && old[i].port != p)
			mac_learn(sw, old[i].mac, old[i].port);
}

void fabric_switch_attach(struct fabric_switch *sw, unsigned p)
{
	sw->port[p].present = true;
}

void fabric_switch_detach(struct fabric_switch *sw, unsigned p)
{
	sw->port[p].present = false;
	mac_forget_port(sw, p);
}

void fabric_switch_partition(struct fabric_switch *sw, u64 set_a, u64 set_b)
{
	for (unsigned p = 0; p < FABRIC_MAX_PORTS; p++)
		sw->port[p].group = (set_a >> p & 1) ? 1 : (set_b >> p & 1) ? 2 : 0;
}

void fabric_switch_heal(struct fabric_switch *sw)
{
	fabric_switch_partition(sw, 0, 0);
}

static bool partitioned(const struct fabric_port *a, const struct fabric_port *b)
{
	return a->group && b->group && a->group != b->group;
}

/* Decide the fate of one egress copy from port `in` to port `o`. */
static unsigned copy_out(struct fabric_switch *sw, unsigned in, unsigned o,
			 u64 now_ns, struct fabric_delivery *out)
{
	struct fabric_port *ip = &sw->port[in];
	const struct fabric_faults *f = &ip->faults;
	u64 due = now_ns + (u64)f->latency_us * 1000;
	u16 flags = 0;
	unsigned n = 0;

	ip->st.copies++;
	if (ip->cut || sw->port[o].cut) {
		ip->st.drop_cut++;
		return 0;
	}
	if (partitioned(ip, &sw->port[o])) {
		ip->st.drop_partition++;
		return 0;
	}
	if (chance(sw, f->drop)) {
		ip->st.drop_fault++;
		return 0;
	}
	if (chance(sw, f->reorder)) {
		due += 1000 + (u64)(fabric_switch_random(sw) * f->reorder_us * 1000);
		flags = FABRIC_DELIVER_REORDERED;
		ip->st.reorders++;
	}
	out[n++] = (struct fabric_delivery){ .due_ns = due, .port = (u16)o,
					     .flags = flags };
	if (chance(sw, f->dup)) {
		out[n++] = (struct fabric_delivery){ .due_ns = due, .port = (u16)o,
			.flags = (u16)(flags | FABRIC_DELIVER_DUP) };
		ip->st.dups++;
	}
	return n;
}

unsigned fabric_switch_input(struct fabric_switch *sw, unsigned in,
			     const u8 *frame, size_t len, u64 now_ns,
			     struct fabric_delivery *out)
{
	const u8 *dst = frame, *src = frame + 6;
	unsigned n = 0;
	int to;

	sw->port[in].st.rx_frames++;
	sw->port[in].st.rx_bytes += len;
	mac_learn(sw, src, in);
	to = (dst[0] & 1) ? -1 : fabric_switch_lookup(sw, dst);
	if (to >= 0) {
		if ((unsigned)to != in && sw->port[to].present)
			n = copy_out(sw, in, (unsigned)to, now_ns, out);
		return n;
	}
	for (unsigned o = 0; o < FABRIC_MAX_PORTS; o++)
		if (o != in && sw->port[o].present)
			n += copy_out(sw, in, o, now_ns, out + n);
	return n;
}
