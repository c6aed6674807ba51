/*
 * The request dispatcher refuses malformed requests (fork's too): unknown opcodes,
 * wrong lengths, missing or unexpected page buffers, unknown flags,
 * unaligned or out-of-range addresses, pieces crossing a vRegion, unknown
 * pids, nonzero padding. Then a deterministic fuzz loop throws thousands
 * of random requests (biased towards interesting values) at a small
 * cluster: every answer must be 0 or a Linux errno with a reply of the
 * declared size, the home's VMA tree must stay sorted and disjoint, and
 * tearing the cluster down must free every allocation.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/ktest.h>
#include <tessera/string.h>

#include "memory/mem_testenv.h"

#define PID 7u
#define P 0x1000ull

struct pz {
	struct mem_sim sim;
	u8 body[128], reply[64];
	u8 page_in[4096], page_out[4096];
};

static int pz_call(struct pz *x, u16 op, const void *body, u32 len,
		   bool in, bool out)
{
	u32 rlen;

	return mem_dispatch(&x->sim.node[0], op, body, len,
			    in ? x->page_in : NULL, x->reply,
			    sizeof(x->reply), &rlen, out ? x->page_out : NULL);
}

static struct pz *pz_setup(u32 shift)
{
	struct pz *x = kzalloc(sizeof(*x));
	struct p2m_proc_create_msg c = { .pid = PID, .brk_start = 0x600000 };
	struct p2m_mmap_msg m = { .pid = PID, .prot = 3, .len = 64 * P,
				  .flags = MEM_MAP_PRIVATE | MEM_MAP_ANONYMOUS };

	if (!x || mem_sim_init(&x->sim, 2, shift) ||
	    pz_call(x, MEM_OP_P2M_PROC_CREATE, &c, sizeof(c), false, false) ||
	    pz_call(x, MEM_OP_P2M_MMAP, &m, sizeof(m), false, false)) {
		kfree(x);
		return NULL;
	}
	return x;
}

static void pz_teardown(struct ktest_ctx *t, struct pz *x)
{
	mem_sim_destroy(&x->sim);
	KT_EXPECT_EQ(t, mem_test_alloc_live, 0);
	kfree(x);
}

/* Fork's messages: the version, padding, the two pids and the vRegion
 * index are checked before anything is copied. */
KTEST(mem_proto, malformed_fork)
{
	struct pz *x = pz_setup(0);
	struct p2m_fork_msg f = { .pid = PID, .child = 8, .version = MEM_FORK_VERSION };
	struct m2m_fork_msg o = { .pid = PID, .child = 9, .version = MEM_FORK_VERSION,
				  .idx = (VMA_TASK_SIZE >> 30) + 1 };

	KT_ASSERT(t, x);
	f.version = 2;
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_P2M_FORK, &f, sizeof(f), false, false), -EPROTO);
	f.version = MEM_FORK_VERSION;
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_P2M_FORK, &f, sizeof(f) - 1, false, false), -EINVAL);
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_P2M_FORK, &f, sizeof(f), true, false), -EINVAL);
	f.pad2 = 1;
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_P2M_FORK, &f, sizeof(f), false, false), -EINVAL);
	f.pad2 = 0;
	f.child = PID;
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_P2M_FORK, &f, sizeof(f), false, false), -EINVAL);
	f.child = 0;
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_P2M_FORK, &f, sizeof(f), false, false), -EINVAL);
	f.pid = 99;
	f.child = 8;
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_P2M_FORK, &f, sizeof(f), false, false), -ESRCH);
	f.pid = PID;
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_P2M_FORK, &f, sizeof(f), false, false), 0);
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_P2M_FORK, &f, sizeof(f), false, false), -EEXIST);
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_M2M_FORK, &o, sizeof(o), false, false), -EINVAL);
	o.idx = 0;
	o.version = 0;
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_M2M_FORK, &o, sizeof(o), false, false), -EPROTO);
	o.version = MEM_FORK_VERSION;
	o.child = PID;
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_M2M_FORK, &o, sizeof(o), false, false), -EINVAL);
	o.child = 8; /* the fork above made 8's regions */
	o.idx = (VMA_MMAP_BASE - P) >> 30;
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_M2M_FORK, &o, sizeof(o), false, false), -EEXIST);
	o.child = 9;
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_M2M_FORK, &o, sizeof(o), false, false), 0);
	pz_teardown(t, x);
}

KTEST(mem_proto, malformed)
{
	struct pz *x = pz_setup(0);
	u64 a = VMA_MMAP_BASE - 64 * P;
	struct p2m_fetch_msg f = { .pid = PID, .vaddr = a };
	struct p2m_writeback_msg w = { .pid = PID, .vaddr = a };
	struct m2m_map_msg mm = { .pid = PID, .prot = 1, .start = GiB - P,
				  .end = GiB + P };
	struct p2m_proc_create_msg c = { .pid = 8, .flags = 4 };
	struct p2m_munmap_msg um = { .pid = PID, .pad = 1, .addr = a, .len = P };
	u32 rlen;

	KT_ASSERT(t, x);
	KT_EXPECT_EQ(t, pz_call(x, 0x1ff, &f, sizeof(f), false, true), -EOPNOTSUPP);
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_P2M_FETCH, &f, sizeof(f) - 1, false,
				true), -EINVAL);
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_P2M_FETCH, &f, sizeof(f) + 1, false,
				true), -EINVAL);
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_P2M_FETCH, NULL, sizeof(f), false,
				true), -EINVAL);
	KT_EXPECT_EQ(t, mem_dispatch(&x->sim.node[0], MEM_OP_P2M_FETCH, &f,
				     sizeof(f), NULL, x->reply, 8, &rlen,
				     x->page_out), -EINVAL); /* reply too small */
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_P2M_FETCH, &f, sizeof(f), false,
				false), -EINVAL); /* nowhere to put the line */
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_P2M_FETCH, &f, sizeof(f), true,
				true), -EINVAL); /* a page but no victim flag */
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_P2M_FETCH, &f, sizeof(f), false, true),
		     0);
	KT_EXPECT_EQ(t, rlen = ((struct mem_line_reply *)x->reply)->result,
		     MEM_LINE_ZERO);
	f.flags = MEM_FETCH_VICTIM;
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_P2M_FETCH, &f, sizeof(f), false,
				true), -EINVAL); /* victim flag, no page */
	f.flags = 0x80;
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_P2M_FETCH, &f, sizeof(f), false,
				true), -EINVAL);
	f.flags = 0;
	f.vaddr = a + 8;
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_P2M_FETCH, &f, sizeof(f), false,
				true), -EINVAL);
	f.vaddr = VMA_TASK_SIZE;
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_P2M_FETCH, &f, sizeof(f), false,
				true), -EINVAL);
	f.vaddr = a;
	f.pid = 99;
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_P2M_FETCH, &f, sizeof(f), false,
				true), -ESRCH);
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_P2M_WRITEBACK, &w, sizeof(w), false,
				false), -EINVAL);
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_P2M_MUNMAP, &um, sizeof(um), true,
				false), -EINVAL); /* page where none goes */
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_P2M_MUNMAP, &um, sizeof(um), false,
				false), -EINVAL); /* padding */
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_M2M_MAP, &mm, sizeof(mm), false,
				false), -EINVAL); /* crosses a vRegion */
	mm.end = GiB;
	mm.prot = 0x10;
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_M2M_MAP, &mm, sizeof(mm), false,
				false), -EINVAL);
	KT_EXPECT_EQ(t, pz_call(x, MEM_OP_P2M_PROC_CREATE, &c, sizeof(c), false,
				false), -EINVAL);
	KT_EXPECT(t, x->sim.node[0].stats.rejected >= 15);
	pz_teardown(t, x);
}

/* Fill a request body with random fields, biased to edge values. */
static u64 pz_value(u64 *seed)
{
	static const u64 edge[] = {
		0, 1, P, P - 1, 0x600000, VMA_MMAP_BASE - 64 * P,
		VMA_MMAP_BASE - 8 * P, VMA_TASK_SIZE, VMA_TASK_SIZE - P,
		~0ull, ~0ull - P + 1, 1ull << 40, 64 * P, GiB, 3 * GiB,
	};
	u64 r = mem_test_rand(seed);

	switch (r % 6) {
	case 0:
		return edge[(r >> 8) % ARRAY_SIZE(edge)];
	case 1:
		return (r >> 8) % 128;
	case 2:
		return edge[(r >> 8) % ARRAY_SIZE(edge)] + ((r >> 16) % 4) * P;
	case 3:
	case 4:
		return (r >> 8) % 2 ? 0 : MEM_MAP_PRIVATE | MEM_MAP_ANONYMOUS;
	default:
		return mem_test_rand(seed);
	}
}

/* A valid request for op on the mapped area, then (half the time) 1 to
 * 3 mutations:
 * a word replaced by an edge value or a bit flipped. */
static void pz_fill(u8 *body, u16 op, u64 *seed)
{
	u64 a = VMA_MMAP_BASE - 64 * P + (mem_test_rand(seed) % 72) * P;
	u64 w[8] = { PID | (mem_test_rand(seed) % 8 / 4) << 32, a, P, 0, 0, 0,
		     0, 0 };
	u32 muts = (u32)(mem_test_rand(seed) % 8);

	if (op == MEM_OP_P2M_MMAP || op == MEM_OP_M2M_MAP) {
		w[1] = op == MEM_OP_P2M_MMAP ? MEM_MAP_PRIVATE | MEM_MAP_ANONYMOUS :
					      0;
		w[2] = a;
		w[3] = a + P * (1 + mem_test_rand(seed) % 4);
	}
	if (op == MEM_OP_P2M_MMAP)
		w[3] -= a;
	if (op == MEM_OP_P2M_PROC_CREATE)
		w[1] = 0x600000;
	if (op == MEM_OP_P2M_BRK)
		w[1] = 0x600000 + (mem_test_rand(seed) % 16) * P;
	if (op == MEM_OP_P2M_FORK || op == MEM_OP_M2M_FORK) {
		w[0] = PID | (u64)(PID + 1 + mem_test_rand(seed) % 4) << 32;
		w[1] = MEM_FORK_VERSION;
		w[2] = a >> 40;
	}
	memcpy(body, w, sizeof(w));
	while (muts-- > 4) {
		u64 r = mem_test_rand(seed), v = pz_value(seed);

		if (r % 2)
			memcpy(body + (r >> 8) % 8 * 8, &v, 8);
		else
			body[(r >> 8) % 64] ^= (u8)(1u << ((r >> 16) % 8));
	}
}

/* The request length each opcode expects, from MEM_OPCODES. */
#define PZ_REQ_MAX(min, max, ...) max
#define PZ_LEN(name, val, ...) { val, PZ_REQ_MAX(__VA_ARGS__) },
static const struct {
	u16 op;
	u32 len;
} pz_lens[] = { MEM_OPCODES(PZ_LEN) };

static u32 pz_len(u16 op)
{
	for (u32 i = 0; i < ARRAY_SIZE(pz_lens); i++)
		if (pz_lens[i].op == op)
			return pz_lens[i].len;
	return 24;
}

static bool pz_sorted(const struct vmaset *s)
{
	for (u32 i = 0; i < s->n; i++)
		if (s->v[i].start >= s->v[i].end ||
		    (i && s->v[i - 1].end > s->v[i].start))
			return false;
	return true;
}

KTEST(mem_proto, fuzz)
{
	static const u16 ops[] = {
		MEM_OP_P2M_PROC_CREATE, MEM_OP_P2M_PROC_EXIT, MEM_OP_P2M_MMAP,
		MEM_OP_P2M_MUNMAP, MEM_OP_P2M_BRK, MEM_OP_P2M_MPROTECT,
		MEM_OP_P2M_FETCH, MEM_OP_P2M_WRITEBACK, MEM_OP_P2M_VREGION,
		MEM_OP_M2M_MAP, MEM_OP_M2M_UNMAP, MEM_OP_M2M_PROTECT,
		MEM_OP_M2M_FETCH, MEM_OP_M2M_WRITEBACK, MEM_OP_P2M_FORK, MEM_OP_M2M_FORK,
		0x1ff, 0,
	};
	struct pz *x = pz_setup(40); /* 1 TiB vRegions: few owners */
	u64 seed = 0x5eed;
	u32 bad = 0, good = 0;

	KT_ASSERT(t, x);
	for (u32 i = 0; i < 5000; i++) {
		u16 op = ops[mem_test_rand(&seed) % ARRAY_SIZE(ops)];
		u32 len = 16 + (u32)(mem_test_rand(&seed) % 48);
		u64 r = mem_test_rand(&seed);
		struct mem_proc *p;
		u32 rlen = 99;
		int err;

		len = r % 8 ? pz_len(op) : len;
		if (op == MEM_OP_P2M_PROC_EXIT && r % 16)
			continue; /* keep the process alive most of the time */
		pz_fill(x->body, op, &seed);
		err = mem_dispatch(&x->sim.node[r % 3 ? 0 : 1], op, x->body, len,
				   (r >> 8) % 2 ? x->page_in : NULL, x->reply,
				   sizeof(x->reply), &rlen,
				   (r >> 9) % 4 ? x->page_out : NULL);
		good += !err;
		p = mem_proc_find(&x->sim.node[0], PID);
		if (err > 0 || err < -133 || (err && rlen) ||
		    rlen > sizeof(x->reply) || (p && !pz_sorted(&p->as.vmas)))
			bad++;
	}
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT(t, good > 300); /* enough requests got past the checks */
	pz_teardown(t, x);
}
