/* The managers' registry (C2G_REGISTER, C2G_HEARTBEAT and the sweep that
 * declares the silent dead): the input is a sequence of messages, each a
 * kind, a time step and the body. Answers are 0 or an errno, and the key
 * the input must guess is the one the rig uses in tests (0, the
 * registry's own), so accepted registrations happen too. */
#include <string.h>

#include "managers/mgr.h"
#include "tests/fuzz/fuzz.h"

#define FZ_KEY 0

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mgr_registry reg;
	struct fuzz_in in = { data, size };
	u64 now = 0;

	mgr_registry_init(&reg, "fuzz", FZ_KEY, 500, 3000);
	while (in.left) {
		u8 kind = fuzz_u8(&in);
		size_t len;
		const u8 *b = fuzz_bytes(&in, fuzz_u8(&in), &len);
		u8 body[256] = { 0 };
		struct c2g_register_reply rr;
		struct c2g_heartbeat_reply hr;
		int err;

		memcpy(body, b, len);
		now += (u64)(kind >> 2) * 100000000ull; /* up to 6.3 s a step */
		switch (kind & 3) {
		case 0:
			err = mgr_register(&reg, body, (u32)len, 0x0a4d0001, &rr, now);
			break;
		case 1:
			err = mgr_heartbeat(&reg, body, (u32)len, &hr, now);
			break;
		default:
			err = mgr_sweep(&reg, now);
			FUZZ_CHECK(err >= 0);
			err = 0;
			break;
		}
		FUZZ_CHECK(err <= 0 && err > -4096);
	}
	return 0;
}
