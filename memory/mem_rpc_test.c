/*
 * mem_rpc_serve: pages split off the end of request bodies and appended
 * to fetch replies, and every malformed length refused before the core
 * sees it (no page where one must be, a page where none may be, a
 * truncated or padded message in front of a page, a reply buffer too
 * small for a line). Runs on the host and in the memory image.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/ktest.h>
#include <tessera/string.h>

#include "memory/mem_rpc.h"
#include "memory/mem_testenv.h"

#define PID 9u
#define P 0x1000ull

struct rz {
	struct mem_sim sim;
	u64 addr; /* a 16-page anonymous read-write mapping */
	u8 body[RPC_MAX_BODY];
	u8 reply[RPC_MAX_BODY];
	u32 rlen;
};

static int rz_serve(struct rz *x, u16 op, const void *msg, u32 msg_len,
		    u32 page_len)
{
	memmove(x->body, msg, msg_len);
	return mem_rpc_serve(&x->sim.node[0], op, x->body, msg_len + page_len,
			     x->reply, sizeof(x->reply), &x->rlen);
}

static struct rz *rz_setup(void)
{
	struct rz *x = kzalloc(sizeof(*x));
	struct p2m_proc_create_msg c = { .pid = PID, .brk_start = 0x600000 };
	struct p2m_mmap_msg m = { .pid = PID, .prot = 3, .len = 16 * P,
				  .flags = MEM_MAP_PRIVATE | MEM_MAP_ANONYMOUS };

	if (!x || mem_sim_init(&x->sim, 2, 0) ||
	    rz_serve(x, MEM_OP_P2M_PROC_CREATE, &c, sizeof(c), 0) ||
	    rz_serve(x, MEM_OP_P2M_MMAP, &m, sizeof(m), 0) || x->rlen != 8) {
		kfree(x);
		return NULL;
	}
	memcpy(&x->addr, x->reply, sizeof(x->addr));
	return x;
}

static void rz_teardown(struct rz *x)
{
	mem_sim_destroy(&x->sim);
	kfree(x);
}

/* Write back page a (filled with v) with the page at the body's end. */
static int rz_writeback(struct rz *x, u64 a, u8 v)
{
	struct p2m_writeback_msg w = { .pid = PID, .vaddr = a };

	memset(x->body + sizeof(w), v, MEM_PAGE_SIZE);
	return rz_serve(x, MEM_OP_P2M_WRITEBACK, &w, sizeof(w), MEM_PAGE_SIZE);
}

static int rz_fetch(struct rz *x, u64 a)
{
	struct p2m_fetch_msg f = { .pid = PID, .vaddr = a };

	return rz_serve(x, MEM_OP_P2M_FETCH, &f, sizeof(f), 0);
}

static bool rz_reply_page_is(struct rz *x, u8 v)
{
	const u8 *pg = x->reply + sizeof(struct mem_line_reply);

	for (u32 i = 0; i < MEM_PAGE_SIZE; i++)
		if (pg[i] != v)
			return false;
	return true;
}

KTEST(mem_rpc, page_rides_at_the_end_both_ways)
{
	struct rz *x = rz_setup();
	struct mem_line_reply *r;

	KT_ASSERT(t, x);
	r = (struct mem_line_reply *)x->reply;
	KT_EXPECT_EQ(t, rz_fetch(x, x->addr), 0); /* untouched: zero, no page */
	KT_EXPECT_EQ(t, r->result, MEM_LINE_ZERO);
	KT_EXPECT_EQ(t, x->rlen, sizeof(*r));
	KT_EXPECT_EQ(t, rz_writeback(x, x->addr, 0xa5), 0);
	KT_EXPECT_EQ(t, x->rlen, 0);
	KT_EXPECT_EQ(t, rz_fetch(x, x->addr), 0);
	KT_EXPECT_EQ(t, r->result, MEM_LINE_DATA);
	KT_EXPECT_EQ(t, x->rlen, sizeof(*r) + MEM_PAGE_SIZE);
	KT_EXPECT(t, rz_reply_page_is(x, 0xa5));
	rz_teardown(x);
}

KTEST(mem_rpc, victim_rides_on_a_fetch)
{
	struct rz *x = rz_setup();
	struct p2m_fetch_msg f;

	KT_ASSERT(t, x);
	f = (struct p2m_fetch_msg){ .pid = PID, .flags = MEM_FETCH_VICTIM,
				    .vaddr = x->addr, .victim_vaddr = x->addr + P };
	memset(x->body + sizeof(f), 0x3c, MEM_PAGE_SIZE);
	KT_EXPECT_EQ(t, rz_serve(x, MEM_OP_P2M_FETCH, &f, sizeof(f), MEM_PAGE_SIZE), 0);
	KT_EXPECT_EQ(t, ((struct mem_line_reply *)x->reply)->victim_status, 0);
	KT_EXPECT_EQ(t, rz_fetch(x, x->addr + P), 0);
	KT_EXPECT(t, rz_reply_page_is(x, 0x3c));
	rz_teardown(x);
}

KTEST(mem_rpc, malformed_lengths_refused)
{
	struct rz *x = rz_setup();
	struct p2m_writeback_msg w;
	struct p2m_fetch_msg f;
	struct p2m_mmap_msg m = { .pid = PID, .prot = 3, .len = P,
				  .flags = MEM_MAP_PRIVATE | MEM_MAP_ANONYMOUS };

	KT_ASSERT(t, x);
	w = (struct p2m_writeback_msg){ .pid = PID, .vaddr = x->addr };
	f = (struct p2m_fetch_msg){ .pid = PID, .vaddr = x->addr };
	/* a write-back without its page, with part of one, with a byte more */
	KT_EXPECT_EQ(t, rz_serve(x, MEM_OP_P2M_WRITEBACK, &w, sizeof(w), 0), -EINVAL);
	KT_EXPECT_EQ(t, rz_serve(x, MEM_OP_P2M_WRITEBACK, &w, sizeof(w), 100), -EINVAL);
	KT_EXPECT_EQ(t, rz_serve(x, MEM_OP_P2M_WRITEBACK, &w, sizeof(w), MEM_PAGE_SIZE + 1),
		     -EINVAL);
	/* a page behind a truncated message */
	KT_EXPECT_EQ(t, rz_serve(x, MEM_OP_P2M_WRITEBACK, &w, sizeof(w) - 4, MEM_PAGE_SIZE),
		     -EINVAL);
	/* a page on a fetch that names no victim; a page where none may go */
	KT_EXPECT_EQ(t, rz_serve(x, MEM_OP_P2M_FETCH, &f, sizeof(f), MEM_PAGE_SIZE), -EINVAL);
	KT_EXPECT_EQ(t, rz_serve(x, MEM_OP_P2M_MMAP, &m, sizeof(m), MEM_PAGE_SIZE), -EINVAL);
	KT_EXPECT_EQ(t, rz_serve(x, MEM_OP_M2M_FETCH, &f, 16, MEM_PAGE_SIZE), -EINVAL);
	/* a victim flag with no page */
	f.flags = MEM_FETCH_VICTIM;
	f.victim_vaddr = x->addr + P;
	KT_EXPECT_EQ(t, rz_serve(x, MEM_OP_P2M_FETCH, &f, sizeof(f), 0), -EINVAL);
	/* no body; a reply buffer too small for a line */
	KT_EXPECT_EQ(t, mem_rpc_serve(&x->sim.node[0], MEM_OP_P2M_WRITEBACK, NULL,
				      MEM_PAGE_SIZE + sizeof(w), x->reply, sizeof(x->reply),
				      &x->rlen), -EINVAL);
	f.flags = 0;
	f.victim_vaddr = 0;
	memcpy(x->body, &f, sizeof(f));
	KT_EXPECT_EQ(t, mem_rpc_serve(&x->sim.node[0], MEM_OP_P2M_FETCH, x->body, sizeof(f),
				      x->reply, MEM_RPC_REPLY_MAX - 1, &x->rlen), -EINVAL);
	KT_EXPECT_EQ(t, x->rlen, 0);
	KT_EXPECT_EQ(t, mem_rpc_pid(&f, 3), 0);
	KT_EXPECT_EQ(t, mem_rpc_pid(&f, sizeof(f)), PID);
	rz_teardown(x);
}
