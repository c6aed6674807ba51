/*
 * The RoCEv2 invariant CRC (IBA annex A17.4): CRC-32 (the Ethernet
 * polynomial, reflected, initial value ~0, final complement) over
 *   8 bytes of 0xff standing for the masked LRH,
 *   the IPv4 header with TOS, TTL and header checksum set to all ones,
 *   the UDP header with its checksum set to all ones,
 *   the BTH with byte 4 (FECN, BECN, reserved) set to all ones,
 *   the rest of the transport headers, the payload and its pad.
 * It is sent least significant byte first (as rdma_rxe stores it).
 */
#include <tessera/string.h>
#include <tessera/wire/byteorder.h>
#include <tessera/wire/inet.h>

#include "net/rdma/roce.h"

/* CRC-32 remainders for each 4-bit value (polynomial 0xedb88320). */
static const u32 crc32_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
	0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
	0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

/* Continue a CRC-32 (raw register, not complemented) over len bytes. */
u32 crc32_update(u32 crc, const void *data, size_t len)
{
	const u8 *p = data;

	while (len--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ crc32_nibble[crc & 15];
		crc = (crc >> 4) ^ crc32_nibble[crc & 15];
	}
	return crc;
}

u32 roce_icrc(const u8 *ip, size_t len)
{
	static const u8 lrh[8] = { 0xff, 0xff, 0xff, 0xff,
				   0xff, 0xff, 0xff, 0xff };
	u8 masked[ROCE_MASKED_LEN];
	u32 crc;

	memcpy(masked, ip, sizeof(masked));
	masked[1] = 0xff; /* IPv4 TOS */
	masked[8] = 0xff; /* IPv4 TTL */
	masked[10] = masked[11] = 0xff; /* IPv4 header checksum */
	masked[20 + 6] = masked[20 + 7] = 0xff; /* UDP checksum */
	masked[28 + 4] = 0xff; /* BTH FECN, BECN, resv */
	crc = crc32_update(0xffffffffu, lrh, sizeof(lrh));
	crc = crc32_update(crc, masked, sizeof(masked));
	crc = crc32_update(crc, ip + sizeof(masked), len - sizeof(masked));
	return ~crc;
}

bool roce_icrc_ok(const u8 *ip, size_t len)
{
	if (len < ROCE_MASKED_LEN + ROCE_ICRC_LEN)
		return false;
	return roce_icrc(ip, len - ROCE_ICRC_LEN) ==
	       get_le32(ip + len - ROCE_ICRC_LEN);
}
