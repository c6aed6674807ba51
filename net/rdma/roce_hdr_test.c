/* Round trips of the RoCEv2 transport header codec, for every opcode. */
#include <tessera/ktest.h>
#include <tessera/string.h>
#include <tessera/wire/byteorder.h>

#include "net/rdma/roce.h"

static struct roce_hdrs sample(u8 op)
{
	return (struct roce_hdrs){ .opcode = op, .se = op & 1, .ackreq = true,
				   .pad = 3, .pkey = 0xffff, .dqpn = 0xabcdef,
				   .psn = 0xfedcba, .va = 0x1122334455667788ull,
				   .rkey = 0xdeadbeef, .dma_len = 0x10000,
				   .syndrome = AETH_NAK | NAK_REMOTE_ACCESS,
				   .msn = 0x123456, .imm = 0xcafef00d };
}

KTEST(roce_hdr, round_trip_every_opcode)
{
	for (u8 op = 0; op <= RC_ACK; op++) {
		struct roce_hdrs in = sample(op), out;
		u32 f = roce_op_flags_of(op);
		u8 buf[64];
		size_t n = roce_encode(&in, buf);

		KT_EXPECT_EQ(t, n, roce_hdr_len(op));
		KT_ASSERT(t, roce_decode(buf, n, &out) == (int)n);
		KT_EXPECT_EQ(t, out.opcode, op);
		KT_EXPECT_EQ(t, out.psn, in.psn);
		KT_EXPECT_EQ(t, out.dqpn, in.dqpn);
		KT_EXPECT_EQ(t, out.pad, 3);
		KT_EXPECT(t, out.ackreq && out.se == in.se);
		KT_EXPECT_EQ(t, out.va, f & ROCE_HAS_RETH ? in.va : 0);
		KT_EXPECT_EQ(t, out.rkey, f & ROCE_HAS_RETH ? in.rkey : 0);
		KT_EXPECT_EQ(t, out.msn, f & ROCE_HAS_AETH ? in.msn : 0);
		KT_EXPECT_EQ(t, out.imm, f & ROCE_HAS_IMM ? in.imm : 0);
		KT_EXPECT_EQ(t, roce_decode(buf, n - 1, &out), -74);
	}
}

KTEST(roce_hdr, wire_layout)
{
	struct roce_hdrs h = { .opcode = RC_WRITE_ONLY_IMM, .pkey = 0xffff,
			       .dqpn = 0x000102, .psn = 0x030405,
			       .va = 0x0607080910111213ull, .rkey = 0x14151617,
			       .dma_len = 0x18191a1b, .imm = 0x1c1d1e1f,
			       .ackreq = true };
	static const u8 want[] = { 0x0b, 0x40, 0xff, 0xff, 0x00, 0x00, 0x01,
				   0x02, 0x80, 0x03, 0x04, 0x05, 0x06, 0x07,
				   0x08, 0x09, 0x10, 0x11, 0x12, 0x13, 0x14,
				   0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b,
				   0x1c, 0x1d, 0x1e, 0x1f };
	u8 buf[64];

	KT_ASSERT(t, roce_encode(&h, buf) == sizeof(want));
	KT_EXPECT(t, !memcmp(buf, want, sizeof(want)));
}

KTEST(roce_hdr, rejects_bad)
{
	u8 buf[64] = { 0 };
	struct roce_hdrs h;

	buf[0] = 0x12; /* not an RC opcode we speak */
	KT_EXPECT(t, roce_decode(buf, sizeof(buf), &h) < 0);
	buf[0] = RC_SEND_ONLY;
	buf[1] = 0x01; /* transport version 1 */
	KT_EXPECT(t, roce_decode(buf, sizeof(buf), &h) < 0);
	KT_EXPECT(t, roce_decode(buf, 11, &h) < 0);
}

KTEST(byteorder, helpers)
{
	u8 b[8];

	put_be64(b, 0x0102030405060708ull);
	KT_EXPECT_EQ(t, b[0], 1);
	KT_EXPECT_EQ(t, get_be64(b), 0x0102030405060708ull);
	put_be24(b, 0xabcdef);
	KT_EXPECT_EQ(t, get_be24(b), 0xabcdef);
	put_le32(b, 0x11223344);
	KT_EXPECT_EQ(t, b[0], 0x44);
	KT_EXPECT_EQ(t, get_le32(b), 0x11223344);
}
