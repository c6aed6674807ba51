/* The sMonitor's file protocol server (fs_proto_handle) on a writable
 * copy of a small ext3 volume (1 KiB blocks, a journal, the test tree's
 * /dir; fstest_load_rw frees the previous copy): the input is a sequence
 * of requests, each an opcode choice, a body length and the body (handles
 * in it are small numbers, so real inodes are reached). Every answer is a
 * status and a reply within RPC_MAX_BODY; the volume must still unmount. */
#include <string.h>

#include <tessera/errno.h>
#include <tessera/wire/fs.h>

#include "storage/fs_proto.h"
#include "storage/fs_test_util.h"
#include "tests/fuzz/fuzz.h"

#define FZ_OP(name, val, ...) val,
static const u16 fz_ops[] = { FS_OPCODES(FZ_OP) };
#undef FZ_OP

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fstest_vol vol;
	static struct fs_proto proto;
	static u8 req[RPC_MAX_BODY], reply[RPC_MAX_BODY];
	struct fuzz_in in = { data, size };
	const char *img = fstest_image("fuzz-ext3.img", "-t ext3 -b 1024 -J size=1",
					"/dir", "4M");

	FUZZ_CHECK(img && fstest_load_rw(&vol, img) == 0 && fstest_mount(&vol) == 0);
	proto = (struct fs_proto){ .fs = vol.fs, .verf = 42 };
	while (in.left) {
		u8 sel = fuzz_u8(&in);
		u32 want = fuzz_u8(&in) * 2u, rlen = ~0u;
		size_t len;
		const u8 *b = fuzz_bytes(&in, want, &len);
		int err;

		memset(req, 0, sizeof(req));
		memcpy(req, b, len);
		err = fs_proto_handle(&proto, sel < 250 ? fz_ops[sel % ARRAY_SIZE(fz_ops)] : sel,
				      req, (u32)len, reply, &rlen);
		FUZZ_CHECK(err <= 0 && err > -4096);
		FUZZ_CHECK(err != 0 || rlen <= RPC_MAX_BODY);
	}
	fs_unmount(vol.fs); /* an error is an answer too */
	fstest_crash(&vol, 0); /* drops the record of unflushed writes */
	return 0;
}
