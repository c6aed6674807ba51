/* The mMonitor's request dispatcher (memory protocol, P2M and M2M) on a
 * simulated two-node cluster with one process mapped: the input is a
 * sequence of requests, each an opcode choice, a body length, a page flag
 * and the body. Every answer must be 0 or an errno with a reply within its
 * buffer, and tearing the cluster down must free every allocation. */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/string.h>

#include "memory/mem_testenv.h"
#include "tests/fuzz/fuzz.h"

#define FZ_PID 7u
#define FZ_BODY_MAX 128

#define FZ_OP(name, val, ...) MEM_OP_##name,
static const u16 fz_ops[] = { MEM_OPCODES(FZ_OP) };
#undef FZ_OP

struct fz_mem {
	struct mem_sim sim;
	u8 body[FZ_BODY_MAX], reply[128];
	u8 page_in[4096], page_out[4096];
};

static int fz_call(struct fz_mem *x, u32 node, u16 op, u32 len, u8 pages)
{
	u32 rlen = ~0u;
	int err = mem_dispatch(&x->sim.node[node], op, x->body, len,
			       pages & 1 ? x->page_in : NULL, x->reply, sizeof(x->reply),
			       &rlen, pages & 2 ? x->page_out : NULL);

	FUZZ_CHECK(err <= 0 && err > -4096);
	FUZZ_CHECK(err != 0 || rlen <= sizeof(x->reply));
	return err;
}

static bool fz_setup(struct fz_mem *x)
{
	struct p2m_proc_create_msg c = { .pid = FZ_PID, .brk_start = 0x600000 };
	struct p2m_mmap_msg m = { .pid = FZ_PID, .prot = 3, .len = 64 * 4096,
				  .flags = MEM_MAP_PRIVATE | MEM_MAP_ANONYMOUS };

	if (mem_sim_init(&x->sim, 2, 0))
		return false;
	memcpy(x->body, &c, sizeof(c));
	if (fz_call(x, 0, MEM_OP_P2M_PROC_CREATE, sizeof(c), 0))
		return false;
	memcpy(x->body, &m, sizeof(m));
	return fz_call(x, 0, MEM_OP_P2M_MMAP, sizeof(m), 0) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_mem *x = kzalloc(sizeof(*x));
	struct fuzz_in in = { data, size };

	FUZZ_CHECK(x && fz_setup(x));
	while (in.left) {
		u8 sel = fuzz_u8(&in), pages = fuzz_u8(&in);
		size_t len;
		const u8 *b = fuzz_bytes(&in, fuzz_u8(&in) % (FZ_BODY_MAX + 1), &len);

		memset(x->body, 0, sizeof(x->body));
		memcpy(x->body, b, len);
		fz_call(x, sel >> 7, fz_ops[sel % ARRAY_SIZE(fz_ops)], (u32)len, pages);
	}
	mem_sim_destroy(&x->sim);
	FUZZ_CHECK(mem_test_alloc_live == 0);
	kfree(x);
	return 0;
}
