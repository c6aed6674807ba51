/*
 * IPv4 and UDP. Input checks the header checksum, lengths and addresses,
 * refuses fragments and non-UDP protocols, and verifies the UDP checksum
 * when the sender set one. Output never fragments and sends a zero UDP
 * checksum (allowed for IPv4; RoCEv2 integrity is the ICRC's job).
 */
#include <tessera/errno.h>
#include <tessera/string.h>
#include <tessera/wire/byteorder.h>

#include "net/inet/net_priv.h"

static u32 csum_add(u32 sum, const u8 *p, size_t len)
{
	for (; len > 1; p += 2, len -= 2)
		sum += get_be16(p);
	if (len)
		sum += (u32)p[0] << 8;
	return sum;
}

static u16 csum_fold(u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~sum;
}

u16 ip_checksum(const void *data, size_t len)
{
	return csum_fold(csum_add(0, data, len));
}

static bool udp_csum_ok(const u8 *ip, const u8 *udp, size_t ulen)
{
	u8 pseudo[12];

	if (!get_be16(((const struct udp_hdr *)udp)->csum))
		return true;
	memcpy(pseudo, ((const struct ipv4_hdr *)ip)->src, 8);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_UDP;
	put_be16(pseudo + 10, (u16)ulen);
	return csum_fold(csum_add(csum_add(0, pseudo, 12), udp, ulen)) == 0;
}

static void udp_input(struct net_if *nif, const u8 *ip, size_t hlen,
		      size_t tot)
{
	const struct udp_hdr *uh = (const void *)(ip + hlen);
	struct udp_dgram d;
	size_t ulen;

	if (tot - hlen < sizeof(*uh) || (ulen = get_be16(uh->len)) <
	    sizeof(*uh) || ulen > tot - hlen) {
		nif->stats.udp_bad_len++;
		return;
	}
	if (!udp_csum_ok(ip, (const u8 *)uh, ulen)) {
		nif->stats.udp_bad_csum++;
		return;
	}
	d = (struct udp_dgram){ .ip = ip, .ip_len = hlen,
				.data = (const u8 *)(uh + 1),
				.len = ulen - sizeof(*uh),
				.src_ip = get_be32(ip + 12),
				.dst_ip = get_be32(ip + 16),
				.sport = get_be16(uh->sport),
				.dport = get_be16(uh->dport) };
	for (size_t i = 0; i < UDP_MAX_BINDINGS; i++) {
		if (nif->udp[i].port && nif->udp[i].port == d.dport) {
			if (nif->udp[i].unlocked)
				udp_defer(nif, &nif->udp[i], &d);
			else
				nif->udp[i].fn(nif, &d, nif->udp[i].arg);
			return;
		}
	}
	nif->stats.udp_no_port++;
}

void ip_input(struct net_if *nif, const u8 *pkt, size_t len)
{
	const struct ipv4_hdr *ih = (const void *)pkt;
	size_t hlen, tot;

	if (len < sizeof(*ih) || ih->ver_ihl >> 4 != 4 ||
	    (hlen = (size_t)(ih->ver_ihl & 15) * 4) < sizeof(*ih) ||
	    (tot = get_be16(ih->tot_len)) < hlen || tot > len) {
		nif->stats.ip_bad_hdr++;
		return;
	}
	if (ip_checksum(pkt, hlen)) {
		nif->stats.ip_bad_csum++;
		return;
	}
	if (get_be16(ih->frag) & (IP_FLAG_MF | IP_FRAG_OFF_MASK)) {
		nif->stats.ip_frag++;
		return;
	}
	if (get_be32(ih->dst) != nif->ip) {
		nif->stats.ip_not_us++;
		return;
	}
	if (ih->proto != IPPROTO_UDP) {
		nif->stats.ip_proto++;
		return;
	}
	udp_input(nif, pkt, hlen, tot);
}

int udp_frame_build(struct net_if *nif, u8 *frame, u32 dst_ip, u16 sport,
		    u16 dport, size_t len)
{
	struct ipv4_hdr *ih = (void *)(frame + NET_IP_OFF);
	struct udp_hdr *uh = (void *)(frame + NET_UDP_OFF);
	size_t tot = sizeof(*ih) + sizeof(*uh) + len;
	u8 mac[ETH_ADDR_LEN];
	int err;

	if (tot > nif->mtu)
		return -EMSGSIZE;
	err = arp_resolve(nif, dst_ip, mac);
	if (err)
		return err;
	eth_fill(nif, frame, mac, ETHERTYPE_IPV4);
	*ih = (struct ipv4_hdr){ .ver_ihl = 0x45, .ttl = 64,
				 .proto = IPPROTO_UDP };
	put_be16(ih->tot_len, (u16)tot);
	put_be16(ih->id, nif->ip_id++);
	put_be16(ih->frag, IP_FLAG_DF);
	put_be32(ih->src, nif->ip);
	put_be32(ih->dst, dst_ip);
	put_be16(ih->csum, ip_checksum(ih, sizeof(*ih)));
	put_be16(uh->sport, sport);
	put_be16(uh->dport, dport);
	put_be16(uh->len, (u16)(sizeof(*uh) + len));
	put_be16(uh->csum, 0);
	return 0;
}

int udp_send_locked(struct net_if *nif, u32 dst_ip, u16 sport, u16 dport,
		    const void *data, size_t len)
{
	u8 *f = nif->txbuf;
	int err = udp_frame_build(nif, f, dst_ip, sport, dport, len);

	if (err)
		return err;
	memcpy(f + NET_UDP_PAYLOAD_OFF, data, len);
	return net_xmit_locked(nif, f, NET_UDP_PAYLOAD_OFF + len);
}

int udp_send(struct net_if *nif, u32 dst_ip, u16 sport, u16 dport,
	     const void *data, size_t len)
{
	int err;

	netplat_lock(nif->lock);
	err = udp_send_locked(nif, dst_ip, sport, dport, data, len);
	netplat_unlock(nif->lock);
	return err;
}

static struct udp_binding *udp_slot(struct net_if *nif, u16 port)
{
	for (size_t i = 0; i < UDP_MAX_BINDINGS; i++)
		if (nif->udp[i].port == port)
			return &nif->udp[i];
	return NULL;
}

static int udp_bind_mode(struct net_if *nif, u16 port, bool unlocked,
			 udp_rx_fn fn, void *arg)
{
	struct udp_binding *b;
	int err = 0;

	netplat_lock(nif->lock);
	if (!port || udp_slot(nif, port))
		err = -EADDRINUSE;
	else if (!(b = udp_slot(nif, 0)))
		err = -ENOSPC;
	else
		*b = (struct udp_binding){ port, unlocked, fn, arg };
	netplat_unlock(nif->lock);
	return err;
}

int udp_bind(struct net_if *nif, u16 port, udp_rx_fn fn, void *arg)
{
	return udp_bind_mode(nif, port, false, fn, arg);
}

int udp_bind_unlocked(struct net_if *nif, u16 port, udp_rx_fn fn, void *arg)
{
	return udp_bind_mode(nif, port, true, fn, arg);
}

void udp_unbind(struct net_if *nif, u16 port)
{
	netplat_lock(nif->lock);
	for (size_t i = 0; i < UDP_MAX_BINDINGS; i++)
		if (nif->udp[i].port == port)
			nif->udp[i].port = 0;
	netplat_unlock(nif->lock);
}
