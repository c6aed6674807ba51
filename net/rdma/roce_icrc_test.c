/*
 * ICRC against a known-good packet: a CNP captured from a ConnectX-4 Lx
 * NIC (published with scapy's RoCE tests); and against a bit-at-a-time
 * CRC-32 over the masked pseudo-packet written from the annex A17 text.
 */
#include <tessera/ktest.h>
#include <tessera/string.h>
#include <tessera/wire/byteorder.h>

#include "net/inet/net_priv.h"
#include "net/rdma/roce.h"

static const u8 cnp_frame[] = {
	0xe4, 0x1d, 0x2d, 0xab, 0x2b, 0xc2, 0x7c, 0xfe, 0x90, 0x64, 0x3b, 0x32,
	0x08, 0x00, 0x45, 0xc2, 0x00, 0x3c, 0x71, 0x8c, 0x40, 0x00, 0x40, 0x11,
	0x91, 0x61, 0x0a, 0x00, 0x11, 0x01, 0x0a, 0x00, 0x12, 0x01, 0x00, 0x00,
	0x12, 0xb7, 0x00, 0x28, 0x00, 0x00, 0x81, 0x00, 0xff, 0xff, 0x40, 0x00,
	0x01, 0x18, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x82, 0xfd,
	0x00, 0x2a,
};

KTEST(roce_icrc, captured_cnp)
{
	const u8 *ip = cnp_frame + NET_IP_OFF;
	size_t len = sizeof(cnp_frame) - NET_IP_OFF;
	u8 bad[sizeof(cnp_frame)];

	KT_EXPECT(t, roce_icrc_ok(ip, len));
	KT_EXPECT_EQ(t, roce_icrc(ip, len - 4), 0x2a00fd82u);
	/* The masked fields may change in flight; nothing else may. */
	memcpy(bad, cnp_frame, sizeof(bad));
	bad[NET_IP_OFF + 1] ^= 0x3c; /* TOS */
	bad[NET_IP_OFF + 8] = 1; /* TTL */
	bad[NET_UDP_OFF + 6] = 0x12; /* UDP checksum */
	bad[NET_UDP_PAYLOAD_OFF + 4] = 0x80; /* FECN */
	KT_EXPECT(t, roce_icrc_ok(bad + NET_IP_OFF, len));
	bad[NET_UDP_PAYLOAD_OFF + 7] ^= 1; /* destination QP */
	KT_EXPECT(t, !roce_icrc_ok(bad + NET_IP_OFF, len));
}

/* CRC-32 one bit at a time, straight from the polynomial. */
static u32 crc32_bitwise(u32 crc, const u8 *p, size_t len)
{
	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = crc & 1 ? crc >> 1 ^ 0xedb88320u : crc >> 1;
	}
	return crc;
}

static u32 icrc_reference(const u8 *ip, size_t len)
{
	u8 buf[2048];

	memset(buf, 0xff, 8);
	memcpy(buf + 8, ip, len);
	buf[8 + 1] = buf[8 + 8] = buf[8 + 10] = buf[8 + 11] = 0xff;
	buf[8 + 26] = buf[8 + 27] = 0xff;
	buf[8 + 32] = 0xff;
	return ~crc32_bitwise(0xffffffffu, buf, len + 8);
}

KTEST(roce_icrc, matches_reference)
{
	u8 pkt[600];

	for (u32 i = 0; i < sizeof(pkt); i++)
		pkt[i] = (u8)(i * 7 + 3);
	pkt[0] = 0x45;
	for (size_t len = 44; len <= sizeof(pkt); len += 37)
		KT_EXPECT_EQ(t, roce_icrc(pkt, len), icrc_reference(pkt, len));
	KT_EXPECT_EQ(t, crc32_update(0xffffffffu, "123456789", 9) ^ 0xffffffffu,
		     0xcbf43926u);
}
