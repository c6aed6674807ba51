/*
 * Ethernet, ARP, IPv4 and UDP headers as they appear on the wire
 * (network byte order, read and written with wire/byteorder.h).
 */
#ifndef TESSERA_WIRE_INET_H
#define TESSERA_WIRE_INET_H

#include <tessera/types.h>

#define ETH_ADDR_LEN 6
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806

struct eth_hdr {
	u8 dst[ETH_ADDR_LEN];
	u8 src[ETH_ADDR_LEN];
	u8 type[2];
};
_Static_assert(sizeof(struct eth_hdr) == 14, "Ethernet header is 14 bytes");

#define ARP_HTYPE_ETHER 1
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2

/* ARP for IPv4 over Ethernet (RFC 826). */
struct arp_pkt {
	u8 htype[2];
	u8 ptype[2];
	u8 hlen;
	u8 plen;
	u8 op[2];
	u8 sha[ETH_ADDR_LEN];
	u8 spa[4];
	u8 tha[ETH_ADDR_LEN];
	u8 tpa[4];
};
_Static_assert(sizeof(struct arp_pkt) == 28, "ARP packet is 28 bytes");

#define IPPROTO_UDP 17
#define IP_FLAG_DF 0x4000
#define IP_FLAG_MF 0x2000
#define IP_FRAG_OFF_MASK 0x1fff

/* IPv4 header without options (RFC 791); options are accepted on input. */
struct ipv4_hdr {
	u8 ver_ihl;
	u8 tos;
	u8 tot_len[2];
	u8 id[2];
	u8 frag[2];
	u8 ttl;
	u8 proto;
	u8 csum[2];
	u8 src[4];
	u8 dst[4];
};
_Static_assert(sizeof(struct ipv4_hdr) == 20, "IPv4 header is 20 bytes");

struct udp_hdr {
	u8 sport[2];
	u8 dport[2];
	u8 len[2];
	u8 csum[2];
};
_Static_assert(sizeof(struct udp_hdr) == 8, "UDP header is 8 bytes");

/* Offsets in a frame built by this stack: Ethernet, IPv4 (no options), UDP. */
#define NET_IP_OFF 14
#define NET_UDP_OFF (NET_IP_OFF + 20)
#define NET_UDP_PAYLOAD_OFF (NET_UDP_OFF + 8)

#endif
