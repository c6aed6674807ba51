/*
 * The RPC layer's receive side: node a, connected to node b through the
 * CM on a simulated link, sends b raw messages on the connection. The
 * input is a sequence of them, each a kind and bytes: kind 0 sends the
 * bytes as they are; kind 1 puts a header with the right magic and
 * version in front (opcode, flags, request id and the length field from
 * the input, the length true or not), so that the checks behind the first
 * ones are reached. Whatever b got, it must still answer a good PING
 * afterwards: a malformed message is dropped and counted, never fatal.
 */
#include <string.h>

#include <tessera/errno.h>

#include "net/rpc/rpc_priv.h"
#include "net/rpc/rpc_test_util.h"
#include "tests/fuzz/fuzz.h"

#define FZ_OP(name, val, ...) val,
static const u16 fz_ops[] = { RPC_OPCODES(FZ_OP) };
#undef FZ_OP

/* One message on a's connection to b, if a send buffer is free beyond
 * the one the final PING needs: a raw message gets no reply, so its
 * buffer does not come back. */
static void fz_send_raw(struct duo *d, const void *msg, u32 len)
{
	struct rpc_peer *p = d->p;

	netplat_lock(p->ep->lock);
	if (p->nreq_free > 1) {
		u32 sbuf = p->req_free[--p->nreq_free];

		memcpy(rpc_buf(p, sbuf), msg, len);
		rpc_post_sbuf(p, sbuf, len);
	}
	netplat_unlock(p->ep->lock);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static u8 msg[sizeof(struct rpc_hdr) + 1024];
	struct fuzz_in in = { data, size };
	struct rpc_ping_msg ping = { 7 };
	struct rpc_ping_reply pr;
	struct duo d;
	int never = 0;

	FUZZ_CHECK(duo_up(&d, 3, 8, true));
	while (in.left) {
		u8 kind = fuzz_u8(&in), sel = fuzz_u8(&in);
		struct rpc_hdr h = { .magic = RPC_MAGIC, .version = RPC_VERSION };
		size_t n;
		const u8 *p;

		if (kind & 1) {
			h.opcode = sel < 240 ? fz_ops[sel % ARRAY_SIZE(fz_ops)] : sel;
			h.flags = fuzz_u8(&in);
			h.req_id = fuzz_u8(&in);
			p = fuzz_bytes(&in, fuzz_u8(&in) * 4u, &n);
			h.len = kind & 2 ? (u32)n : fuzz_u32(&in);
			memcpy(msg, &h, sizeof(h));
			memcpy(msg + sizeof(h), p, n);
			fz_send_raw(&d, msg, (u32)(sizeof(h) + n));
		} else {
			p = fuzz_bytes(&in, sel, &n);
			memcpy(msg, p, n);
			fz_send_raw(&d, msg, (u32)n);
		}
		rnodes_run(d.both, 2, &never, (kind >> 2) * MSEC);
	}
	FUZZ_CHECK(call_sync(&d, RPC_PING, &ping, sizeof(ping), &pr, sizeof(pr), 5 * SEC) ==
		   sizeof(pr));
	duo_down(&d);
	return 0;
}
