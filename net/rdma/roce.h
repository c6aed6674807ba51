/* RoCEv2 packet helpers of net/: header codec and ICRC. */
#ifndef NET_RDMA_ROCE_H
#define NET_RDMA_ROCE_H

#include <tessera/types.h>
#include <tessera/wire/roce.h>

/* IPv4 (no options) + UDP + BTH: the bytes the ICRC masks. */
#define ROCE_MASKED_LEN (20 + 8 + 12)

bool roce_op_valid(u8 opcode);
u32 roce_op_flags_of(u8 opcode);
size_t roce_hdr_len(u8 opcode);
/* Write BTH and the opcode's extension headers; returns their length. */
size_t roce_encode(const struct roce_hdrs *h, u8 *buf);
/* Parse them; the header length, or -EBADMSG. */
int roce_decode(const u8 *buf, size_t len, struct roce_hdrs *h);

u32 crc32_update(u32 crc, const void *data, size_t len);
/* ICRC of the len bytes from the IPv4 header up to (not incl.) the ICRC. */
u32 roce_icrc(const u8 *ip, size_t len);
/* Whether the last 4 of len bytes from the IPv4 header are a valid ICRC. */
bool roce_icrc_ok(const u8 *ip, size_t len);

#endif
