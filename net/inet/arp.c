/*
 * ARP for IPv4 over Ethernet: answer requests for our address, learn from
 * requests and replies addressed to us, resolve with a small cache whose
 * entries expire after ARP_TTL_NS. Requests for one address are rate
 * limited to one per ARP_RETRY_NS.
 */
#include <tessera/errno.h>
#include <tessera/string.h>
#include <tessera/wire/byteorder.h>

#include "net/inet/net_priv.h"

static struct arp_entry *arp_find(struct net_if *nif, u32 ip)
{
	for (size_t i = 0; i < ARP_CACHE_SIZE; i++)
		if (nif->arp[i].ip == ip)
			return &nif->arp[i];
	return NULL;
}

/* A free slot, else the entry that expires first. */
static struct arp_entry *arp_slot(struct net_if *nif)
{
	struct arp_entry *victim = &nif->arp[0];

	for (size_t i = 0; i < ARP_CACHE_SIZE; i++) {
		if (!nif->arp[i].ip)
			return &nif->arp[i];
		if (nif->arp[i].expires_ns < victim->expires_ns)
			victim = &nif->arp[i];
	}
	return victim;
}

static void arp_learn(struct net_if *nif, u32 ip, const u8 *mac)
{
	struct arp_entry *e = arp_find(nif, ip);

	if (!e)
		e = arp_slot(nif);
	e->ip = ip;
	e->valid = true;
	memcpy(e->mac, mac, ETH_ADDR_LEN);
	e->expires_ns = netplat_now_ns() + ARP_TTL_NS;
}

static void arp_send(struct net_if *nif, u16 op, const u8 *tha, u32 tpa)
{
	u8 f[60] = { 0 }; /* minimum Ethernet frame; not txbuf, which may
			    * hold a frame being built by our caller */
	struct arp_pkt *a = (void *)(f + sizeof(struct eth_hdr));

	eth_fill(nif, f, op == ARP_OP_REQUEST ? eth_broadcast : tha,
		 ETHERTYPE_ARP);
	put_be16(a->htype, ARP_HTYPE_ETHER);
	put_be16(a->ptype, ETHERTYPE_IPV4);
	a->hlen = ETH_ADDR_LEN;
	a->plen = 4;
	put_be16(a->op, op);
	memcpy(a->sha, nif->mac, ETH_ADDR_LEN);
	put_be32(a->spa, nif->ip);
	memset(a->tha, 0, ETH_ADDR_LEN);
	if (op == ARP_OP_REPLY)
		memcpy(a->tha, tha, ETH_ADDR_LEN);
	put_be32(a->tpa, tpa);
	net_xmit_locked(nif, f, sizeof(f));
}

static bool arp_well_formed(const struct arp_pkt *a, size_t len)
{
	return len >= sizeof(*a) && get_be16(a->htype) == ARP_HTYPE_ETHER &&
	       get_be16(a->ptype) == ETHERTYPE_IPV4 &&
	       a->hlen == ETH_ADDR_LEN && a->plen == 4 &&
	       (get_be16(a->op) == ARP_OP_REQUEST ||
		get_be16(a->op) == ARP_OP_REPLY) &&
	       get_be32(a->spa) != 0 && !(a->sha[0] & 1);
}

void arp_input(struct net_if *nif, const u8 *pkt, size_t len)
{
	const struct arp_pkt *a = (const void *)pkt;
	u32 spa;

	if (!arp_well_formed(a, len)) {
		nif->stats.arp_bad++;
		return;
	}
	if (get_be32(a->tpa) != nif->ip)
		return;
	spa = get_be32(a->spa);
	arp_learn(nif, spa, a->sha);
	if (get_be16(a->op) == ARP_OP_REQUEST) {
		nif->stats.arp_req_in++;
		arp_send(nif, ARP_OP_REPLY, a->sha, spa);
	} else {
		nif->stats.arp_reply_in++;
	}
}

int arp_resolve(struct net_if *nif, u32 ip, u8 *mac)
{
	struct arp_entry *e = arp_find(nif, ip);
	u64 now = netplat_now_ns();

	if (e && e->valid) {
		memcpy(mac, e->mac, ETH_ADDR_LEN);
		return 0;
	}
	nif->stats.arp_unresolved++;
	if (e && now < e->expires_ns)
		return -EHOSTUNREACH;
	if (!e)
		e = arp_slot(nif);
	e->ip = ip;
	e->valid = false;
	e->expires_ns = now + ARP_RETRY_NS;
	nif->stats.arp_req_out++;
	arp_send(nif, ARP_OP_REQUEST, NULL, ip);
	return -EHOSTUNREACH;
}

void arp_expire(struct net_if *nif, u64 now)
{
	for (size_t i = 0; i < ARP_CACHE_SIZE; i++) {
		struct arp_entry *e = &nif->arp[i];

		if (e->ip && e->valid && now >= e->expires_ns)
			memset(e, 0, sizeof(*e));
	}
}
