/* RoCEv2 headers (BTH and the opcode's RETH, AETH, ImmDt) as they come
 * off the wire: what decodes must encode to the same header bytes and
 * decode to the same fields; the ICRC check takes any length. */
#include <string.h>

#include "net/rdma/roce.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct roce_hdrs h, h2;
	u8 buf[64];
	int n = roce_decode(data, size, &h);

	roce_icrc_ok(data, size);
	if (n < 0)
		return 0;
	FUZZ_CHECK((size_t)n <= size && (size_t)n == roce_hdr_len(h.opcode));
	FUZZ_CHECK(roce_encode(&h, buf) == (size_t)n);
	FUZZ_CHECK(roce_decode(buf, (size_t)n, &h2) == n);
	FUZZ_CHECK(memcmp(&h, &h2, sizeof(h)) == 0);
	return 0;
}
