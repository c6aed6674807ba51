/*
 * Ethernet/ARP/IPv4/UDP: resolution, delivery, expiry, and malformed
 * input dropped and counted.
 */
#include <string.h>

#include <tessera/ktest.h>
#include <tessera/wire/byteorder.h>

#include "net/inet/net_priv.h"
#include "net/plat/plat_sim.h"
#include "net/rdma/rc_test_util.h"

#define SEC 1000000000ull

struct rx_log {
	int n;
	u32 src_ip;
	u16 sport;
	char data[64];
};

static void on_udp(struct net_if *nif, const struct udp_dgram *d, void *arg)
{
	struct rx_log *log = arg;

	log->n++;
	log->src_ip = d->src_ip;
	log->sport = d->sport;
	memcpy(log->data, d->data, MIN(d->len, sizeof(log->data)));
}

static bool got_one(void *arg)
{
	return ((struct rx_log *)arg)->n > 0;
}

KTEST(net_stack, arp_then_udp)
{
	struct simlink *l = simlink_new(1);
	struct tnode a, b;
	struct rx_log log = { 0 };
	struct net_stats st;

	tnode_init(&a, l, 1, 1500);
	tnode_init(&b, l, 2, 1500);
	KT_EXPECT_EQ(t, udp_bind(b.nif, 7000, on_udp, &log), 0);
	KT_EXPECT_EQ(t, udp_bind(b.nif, 7000, on_udp, &log), -98);
	KT_EXPECT_EQ(t, udp_send(a.nif, tnode_ip(2), 5, 7000, "hi", 3), -113);
	simlink_run(l, 1000000, got_one, &log); /* ARP reply arrives */
	KT_EXPECT_EQ(t, udp_send(a.nif, tnode_ip(2), 5, 7000, "hi", 3), 0);
	KT_EXPECT(t, simlink_run(l, SEC, got_one, &log));
	KT_EXPECT(t, log.src_ip == tnode_ip(1) && log.sport == 5);
	KT_EXPECT(t, !strcmp(log.data, "hi"));
	net_get_stats(b.nif, &st);
	KT_EXPECT_EQ(t, st.arp_req_in, 1);
	/* Entries expire: after the TTL a new request goes out. */
	simlink_run(l, 61 * SEC, got_one, &(struct rx_log){ 0 });
	KT_EXPECT_EQ(t, udp_send(a.nif, tnode_ip(2), 5, 7000, "x", 1), -113);
	tnode_fini(&a);
	tnode_fini(&b);
	simlink_free(l);
}

/* A valid UDP frame from 10.0.0.1 to 10.0.0.2 port 7000. */
static size_t good_frame(u8 *f)
{
	struct ipv4_hdr *ih = (void *)(f + NET_IP_OFF);
	struct udp_hdr *uh = (void *)(f + NET_UDP_OFF);

	memset(f, 0, 64);
	memcpy(f, (u8[]){ 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0 }, 14);
	ih->ver_ihl = 0x45;
	ih->ttl = 64;
	ih->proto = IPPROTO_UDP;
	put_be16(ih->tot_len, 20 + 8 + 4);
	put_be32(ih->src, tnode_ip(1));
	put_be32(ih->dst, tnode_ip(2));
	put_be16(ih->csum, ip_checksum(ih, 20));
	put_be16(uh->sport, 9);
	put_be16(uh->dport, 7000);
	put_be16(uh->len, 12);
	memcpy(f + NET_UDP_PAYLOAD_OFF, "abc", 4);
	return NET_UDP_PAYLOAD_OFF + 4;
}

static void reseal(u8 *f)
{
	put_be16(f + NET_IP_OFF + 10, 0);
	put_be16(f + NET_IP_OFF + 10, ip_checksum(f + NET_IP_OFF, 20));
}

KTEST(net_stack, malformed_dropped_and_counted)
{
	struct simlink *l = simlink_new(2);
	struct tnode b;
	struct rx_log log = { 0 };
	struct net_stats st;
	u8 f[64];
	size_t n;

	tnode_init(&b, l, 2, 1500);
	udp_bind(b.nif, 7000, on_udp, &log);
	net_input(b.nif, f, good_frame(f));
	KT_EXPECT_EQ(t, log.n, 1);
	net_input(b.nif, f, 10); /* short Ethernet */
	n = good_frame(f);
	net_input(b.nif, f, 20); /* truncated IP */
	f[NET_IP_OFF + 12] ^= 1; /* checksum no longer matches */
	net_input(b.nif, f, n);
	n = good_frame(f);
	put_be16(f + NET_IP_OFF + 6, IP_FLAG_MF);
	reseal(f);
	net_input(b.nif, f, n); /* fragment */
	n = good_frame(f);
	put_be16(f + NET_UDP_OFF + 4, 200);
	net_input(b.nif, f, n); /* UDP longer than the packet */
	n = good_frame(f);
	put_be16(f + NET_UDP_OFF + 6, 0x1234);
	net_input(b.nif, f, n); /* wrong UDP checksum */
	n = good_frame(f);
	f[NET_IP_OFF + 9] = 6;
	reseal(f);
	net_input(b.nif, f, n); /* TCP */
	n = good_frame(f);
	put_be16(f + 12, ETHERTYPE_ARP);
	net_input(b.nif, f, n); /* not a valid ARP packet */
	n = good_frame(f);
	put_be16(f + NET_UDP_OFF + 2, 7001);
	net_input(b.nif, f, n); /* nobody listening */
	net_get_stats(b.nif, &st);
	KT_EXPECT_EQ(t, log.n, 1);
	KT_EXPECT_EQ(t, st.eth_short, 1);
	KT_EXPECT_EQ(t, st.ip_bad_hdr, 1);
	KT_EXPECT_EQ(t, st.ip_bad_csum, 1);
	KT_EXPECT_EQ(t, st.ip_frag, 1);
	KT_EXPECT_EQ(t, st.udp_bad_len, 1);
	KT_EXPECT_EQ(t, st.udp_bad_csum, 1);
	KT_EXPECT_EQ(t, st.ip_proto, 1);
	KT_EXPECT_EQ(t, st.arp_bad, 1);
	KT_EXPECT_EQ(t, st.udp_no_port, 1);
	tnode_fini(&b);
	simlink_free(l);
}

KTEST(net_stack, ip_checksum_known)
{
	/* RFC 1071 style example header; checksum 0xb861. */
	u8 h[20] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40,
		     0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8,
		     0x00, 0xc7 };

	KT_EXPECT_EQ(t, ip_checksum(h, 20), 0xb861);
}
