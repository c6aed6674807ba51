/*
 * The mMonitor core across several simulated mComponents: a process whose
 * home is node 10 maps 3 GiB spanning vRegions owned by nodes 10, 11 and
 * 12; lines are written back and fetched through the home and directly at
 * the owners, with and without a piggy-backed victim; file-backed lines
 * come from storage until written; munmap, exec and exit free every page
 * and vRegion, leaving no allocation behind. All requests go through
 * mem_dispatch, as they would from the network.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/ktest.h>
#include <tessera/string.h>

#include "memory/mem_testenv.h"

#define PID 7u
#define P 0x1000ull
#define RW (MEM_PROT_READ | MEM_PROT_WRITE)

struct mt {
	struct mem_sim sim;
	u8 page[4096], got[4096], victim[4096];
};

static int mt_call(struct mem_node *n, u16 op, const void *body, u32 len,
		   const void *page_in, void *reply, u32 cap, void *page_out)
{
	u32 rlen;

	return mem_dispatch(n, op, body, len, page_in, reply, cap, &rlen,
			    page_out);
}

static u64 mt_mmap(struct mem_node *n, u64 addr, u64 len, u32 flags,
		   u64 ino, u64 off)
{
	struct p2m_mmap_msg m = { .pid = PID, .prot = RW, .flags = flags,
				  .addr = addr, .len = len, .off = off,
				  .file = { ino, 1, 0 } };
	struct p2m_mmap_reply r;
	int err = mt_call(n, MEM_OP_P2M_MMAP, &m, sizeof(m), NULL, &r,
			  sizeof(r), NULL);

	return err ? (u64)(s64)err : r.addr;
}

/* Fetch (pid, vaddr) at node n: -errno, or MEM_LINE_* with got filled. */
static int mt_fetch(struct mt *x, struct mem_node *n, u64 vaddr, u32 flags,
		    u64 victim)
{
	struct p2m_fetch_msg m = { .pid = PID, .flags = flags, .vaddr = vaddr,
				   .victim_vaddr = victim };
	struct mem_line_reply r;
	int err = mt_call(n, MEM_OP_P2M_FETCH, &m, sizeof(m),
			  victim ? x->victim : NULL, &r, sizeof(r), x->got);

	if (!err && victim && r.victim_status)
		return r.victim_status;
	return err ? err : (int)r.result;
}

static int mt_writeback(struct mt *x, struct mem_node *n, u64 vaddr, u8 fill)
{
	struct p2m_writeback_msg m = { .pid = PID, .vaddr = vaddr };

	memset(x->page, fill, sizeof(x->page));
	return mt_call(n, MEM_OP_P2M_WRITEBACK, &m, sizeof(m), x->page, NULL, 0,
		       NULL);
}

static u32 mt_owner(struct mem_node *n, u64 vaddr)
{
	struct p2m_vregion_msg m = { .pid = PID, .vaddr = vaddr };
	struct p2m_vregion_reply r;

	if (mt_call(n, MEM_OP_P2M_VREGION, &m, sizeof(m), NULL, &r, sizeof(r),
		    NULL))
		return MEM_NODE_NONE;
	return r.owner;
}

static int mt_create(struct mem_node *n, u32 flags)
{
	struct p2m_proc_create_msg m = { .pid = PID, .flags = flags,
					 .brk_start = 0x600000 };

	return mt_call(n, MEM_OP_P2M_PROC_CREATE, &m, sizeof(m), NULL, NULL, 0,
		       NULL);
}

static u64 mt_pages(struct mem_node *n)
{
	struct pstore_stats st;

	pstore_get_stats(&n->pages, &st);
	return st.pages;
}

static struct mt *mt_setup(struct ktest_ctx *t)
{
	struct mt *x = kzalloc(sizeof(*x));

	if (x && mem_sim_init(&x->sim, 3, 0) == 0 &&
	    mt_create(&x->sim.node[0], 0) == 0)
		return x;
	KT_EXPECT(t, false);
	kfree(x);
	return NULL;
}

static void mt_teardown(struct ktest_ctx *t, struct mt *x)
{
	struct p2m_proc_exit_msg m = { .pid = PID };

	KT_EXPECT_EQ(t, mt_call(&x->sim.node[0], MEM_OP_P2M_PROC_EXIT, &m,
				sizeof(m), NULL, NULL, 0, NULL), 0);
	for (u32 i = 0; i < x->sim.nnodes; i++)
		KT_EXPECT_EQ(t, mt_pages(&x->sim.node[i]), 0);
	KT_EXPECT_EQ(t, x->sim.allocs, x->sim.frees);
	mem_sim_destroy(&x->sim);
	KT_EXPECT_EQ(t, mem_test_alloc_live, 0);
	kfree(x);
}

KTEST(mem, three_gib_over_three_owners)
{
	struct mt *x = mt_setup(t);
	struct mem_node *home, *n11;
	u64 a;

	KT_ASSERT(t, x);
	home = &x->sim.node[0];
	n11 = &x->sim.node[1];
	a = mt_mmap(home, 0, 3 * GiB, MEM_MAP_PRIVATE | MEM_MAP_ANONYMOUS, 0, 0);
	KT_EXPECT_EQ(t, a, VMA_MMAP_BASE - 3 * GiB);
	KT_EXPECT_EQ(t, mt_owner(home, a), 10);
	KT_EXPECT_EQ(t, mt_owner(home, a + GiB), 11);
	KT_EXPECT_EQ(t, mt_owner(home, a + 2 * GiB), 12);
	for (u32 i = 0; i < 3; i++) {
		struct mem_region *r = mem_region_find(&x->sim.node[i], PID,
						       (a >> 30) + i);

		KT_EXPECT(t, r && r->vmas.n == 1 &&
				     r->vmas.v[0].start == a + i * GiB &&
				     r->vmas.v[0].end == a + (i + 1) * GiB);
	}
	KT_EXPECT_EQ(t, mt_fetch(x, home, a + GiB + 5 * P, 0, 0), MEM_LINE_ZERO);
	KT_EXPECT_EQ(t, mt_writeback(x, home, a + GiB + 5 * P, 0xab), 0);
	KT_EXPECT_EQ(t, mt_pages(n11), 1);
	KT_EXPECT_EQ(t, mt_pages(home), 0);
	KT_EXPECT_EQ(t, mt_fetch(x, home, a + GiB + 5 * P, 0, 0), MEM_LINE_DATA);
	KT_EXPECT(t, !memcmp(x->got, x->page, 4096));
	memset(x->got, 0, 4096);
	KT_EXPECT_EQ(t, mt_fetch(x, n11, a + GiB + 5 * P, MEM_FETCH_WRITE, 0),
		     MEM_LINE_DATA); /* directly at the owner */
	KT_EXPECT(t, !memcmp(x->got, x->page, 4096));
	KT_EXPECT_EQ(t, mt_fetch(x, n11, a, 0, 0), -ESRCH); /* not its vRegion */
	memset(x->victim, 0x5c, 4096);
	KT_EXPECT_EQ(t, mt_fetch(x, home, a + 2 * GiB, MEM_FETCH_VICTIM, a),
		     MEM_LINE_ZERO);
	KT_EXPECT_EQ(t, mt_fetch(x, home, a, 0, 0), MEM_LINE_DATA);
	KT_EXPECT(t, !memcmp(x->got, x->victim, 4096));
	KT_EXPECT_EQ(t, mt_fetch(x, home, a - P, 0, 0), -EFAULT);
	KT_EXPECT_EQ(t, mt_writeback(x, home, a - P, 1), -EFAULT);
	/* munmap of the middle GiB frees node 11's pages and region */
	struct p2m_munmap_msg um = { .pid = PID, .addr = a + GiB, .len = GiB };
	KT_EXPECT_EQ(t, mt_call(home, MEM_OP_P2M_MUNMAP, &um, sizeof(um), NULL,
				NULL, 0, NULL), 0);
	KT_EXPECT_EQ(t, mt_pages(n11), 0);
	KT_EXPECT(t, !mem_region_find(n11, PID, (a >> 30) + 1));
	KT_EXPECT_EQ(t, mt_fetch(x, home, a + GiB + 5 * P, 0, 0), -EFAULT);
	mt_teardown(t, x);
}

KTEST(mem, protect_file_brk_exec)
{
	struct mt *x = mt_setup(t);
	struct mem_file_handle fh = { 9, 1, 0 };
	struct mem_node *home;
	u64 a, f;

	KT_ASSERT(t, x);
	home = &x->sim.node[0];
	/* a FIXED mapping straddling a vRegion boundary: two owners */
	a = mt_mmap(home, 5 * GiB - 2 * P, 4 * P,
		    MEM_MAP_PRIVATE | MEM_MAP_ANONYMOUS | MEM_MAP_FIXED, 0, 0);
	KT_EXPECT_EQ(t, a, 5 * GiB - 2 * P);
	KT_EXPECT(t, mt_owner(home, a) != mt_owner(home, a + 2 * P));
	struct p2m_mprotect_msg pm = { .pid = PID, .prot = MEM_PROT_READ,
				       .addr = a + P, .len = 2 * P };
	KT_EXPECT_EQ(t, mt_call(home, MEM_OP_P2M_MPROTECT, &pm, sizeof(pm),
				NULL, NULL, 0, NULL), 0);
	KT_EXPECT_EQ(t, mt_fetch(x, home, a, MEM_FETCH_WRITE, 0), MEM_LINE_ZERO);
	KT_EXPECT_EQ(t, mt_fetch(x, home, a + P, MEM_FETCH_WRITE, 0), -EACCES);
	KT_EXPECT_EQ(t, mt_fetch(x, home, a + 2 * P, MEM_FETCH_WRITE, 0),
		     -EACCES);
	KT_EXPECT_EQ(t, mt_fetch(x, home, a + 2 * P, 0, 0), MEM_LINE_ZERO);
	/* private file mapping: storage until written, then the page */
	f = mt_mmap(home, 0, 4 * P, MEM_MAP_PRIVATE, fh.ino, 2 * P);
	KT_EXPECT_EQ(t, mt_fetch(x, home, f + P, 0, 0), MEM_LINE_DATA);
	mem_sim_file_page(&fh, 3 * P, x->page);
	KT_EXPECT(t, !memcmp(x->got, x->page, 4096));
	KT_EXPECT_EQ(t, x->sim.file_reads, 1);
	KT_EXPECT_EQ(t, mt_writeback(x, home, f + P, 0x77), 0);
	KT_EXPECT_EQ(t, mt_fetch(x, home, f + P, 0, 0), MEM_LINE_DATA);
	KT_EXPECT(t, !memcmp(x->got, x->page, 4096));
	KT_EXPECT_EQ(t, x->sim.file_reads, 1);
	/* brk */
	struct p2m_brk_msg bm = { .pid = PID, .brk = 0x600000 + 3 * P };
	struct p2m_brk_reply br;
	KT_EXPECT_EQ(t, mt_call(home, MEM_OP_P2M_BRK, &bm, sizeof(bm), NULL,
				&br, sizeof(br), NULL), 0);
	KT_EXPECT_EQ(t, br.brk, 0x600000 + 3 * P);
	KT_EXPECT_EQ(t, mt_writeback(x, home, 0x600000 + 2 * P, 0x11), 0);
	KT_EXPECT_EQ(t, mt_fetch(x, home, 0x600000 + 2 * P, 0, 0), MEM_LINE_DATA);
	/* exec empties the address space everywhere */
	KT_EXPECT_EQ(t, mt_create(home, 0), -EEXIST);
	KT_EXPECT_EQ(t, mt_create(home, MEM_PROC_EXEC), 0);
	for (u32 i = 0; i < x->sim.nnodes; i++)
		KT_EXPECT_EQ(t, mt_pages(&x->sim.node[i]), 0);
	KT_EXPECT_EQ(t, x->sim.allocs, x->sim.frees);
	KT_EXPECT_EQ(t, mt_owner(home, a), MEM_NODE_NONE);
	KT_EXPECT_EQ(t, mt_fetch(x, home, 0x600000, 0, 0), -EFAULT);
	bm.brk = 0;
	KT_EXPECT_EQ(t, mt_call(home, MEM_OP_P2M_BRK, &bm, sizeof(bm), NULL,
				&br, sizeof(br), NULL), 0);
	KT_EXPECT_EQ(t, br.brk, 0x600000);
	mt_teardown(t, x);
}

/* GMM refusing a vRegion fails the mmap and changes nothing. */
KTEST(mem, no_owner_no_mapping)
{
	struct mt *x = mt_setup(t);
	struct mem_node *home;

	KT_ASSERT(t, x);
	home = &x->sim.node[0];
	x->sim.alloc_err = -ENOMEM;
	KT_EXPECT_EQ(t, mt_mmap(home, 0, P, MEM_MAP_PRIVATE | MEM_MAP_ANONYMOUS,
				0, 0), (u64)-ENOMEM);
	KT_EXPECT_EQ(t, mem_proc_find(home, PID)->as.vmas.n, 0);
	x->sim.alloc_err = 0;
	mt_teardown(t, x);
}

static int mt_fork(struct mem_node *home, u32 parent, u32 child)
{
	struct p2m_fork_msg m = { .pid = parent, .child = child, .version = MEM_FORK_VERSION };

	return mt_call(home, MEM_OP_P2M_FORK, &m, sizeof(m), NULL, NULL, 0, NULL);
}

/* A line of pid at vaddr fetched at the home: MEM_LINE_* or -errno. */
static int mt_fetch_as(struct mt *x, struct mem_node *home, u32 pid, u64 vaddr)
{
	struct p2m_fetch_msg m = { .pid = pid, .vaddr = vaddr };
	struct mem_line_reply r;
	int err = mt_call(home, MEM_OP_P2M_FETCH, &m, sizeof(m), NULL, &r, sizeof(r), x->got);

	return err ? err : (int)r.result;
}

static int mt_exit(struct mem_node *home, u32 pid)
{
	struct p2m_proc_exit_msg m = { .pid = pid };

	return mt_call(home, MEM_OP_P2M_PROC_EXIT, &m, sizeof(m), NULL, NULL, 0, NULL);
}

/* Fork over three owners: the child sees the parent's VMAs, break and
 * lines, writes on either side stay on that side, no page is copied until
 * one is written, and either may exit first. */
KTEST(mem, fork_copies_the_address_space_and_shares_lines)
{
	struct mt *x = mt_setup(t);
	struct p2m_writeback_msg w = { .pid = PID + 1 };
	struct mem_node *home;
	struct pstore_stats st;
	u64 a;

	KT_ASSERT(t, x);
	home = &x->sim.node[0];
	a = mt_mmap(home, 0, 3 * GiB, MEM_MAP_PRIVATE | MEM_MAP_ANONYMOUS, 0, 0);
	KT_ASSERT(t, mt_writeback(x, home, a + 3 * P, 0x31) == 0);
	KT_ASSERT(t, mt_writeback(x, home, a + GiB + 3 * P, 0x32) == 0);
	KT_EXPECT_EQ(t, mt_fork(home, PID, PID + 1), 0);
	KT_EXPECT_EQ(t, mt_fork(home, PID, PID + 1), -EEXIST);
	KT_EXPECT_EQ(t, mem_proc_find(home, PID + 1)->as.vmas.n, 1);
	KT_EXPECT_EQ(t, mem_proc_find(home, PID + 1)->as.brk, 0x600000);
	KT_EXPECT_EQ(t, mt_fetch_as(x, home, PID + 1, a + GiB + 3 * P), MEM_LINE_DATA);
	KT_EXPECT_EQ(t, x->got[0], 0x32);
	KT_EXPECT_EQ(t, mt_fetch_as(x, home, PID + 1, a + 2 * GiB), MEM_LINE_ZERO);
	pstore_get_stats(&x->sim.node[1].pages, &st);
	KT_EXPECT_EQ(t, st.allocated, 1);
	KT_EXPECT_EQ(t, st.pages, 2);
	w.vaddr = a + GiB + 3 * P;
	memset(x->page, 0x99, sizeof(x->page));
	KT_EXPECT_EQ(t, mt_call(home, MEM_OP_P2M_WRITEBACK, &w, sizeof(w), x->page, NULL, 0,
				NULL), 0);
	KT_EXPECT_EQ(t, mt_fetch_as(x, home, PID, a + GiB + 3 * P), MEM_LINE_DATA);
	KT_EXPECT_EQ(t, x->got[0], 0x32);
	KT_EXPECT_EQ(t, mt_fetch_as(x, home, PID + 1, a + GiB + 3 * P), MEM_LINE_DATA);
	KT_EXPECT_EQ(t, x->got[0], 0x99);
	KT_EXPECT_EQ(t, mt_exit(home, PID), 0); /* the parent first */
	KT_EXPECT_EQ(t, mt_fetch_as(x, home, PID + 1, a + 3 * P), MEM_LINE_DATA);
	KT_EXPECT_EQ(t, x->got[0], 0x31);
	KT_EXPECT_EQ(t, mt_exit(home, PID + 1), 0);
	for (u32 i = 0; i < x->sim.nnodes; i++)
		KT_EXPECT_EQ(t, mt_pages(&x->sim.node[i]), 0);
	mem_sim_destroy(&x->sim);
	KT_EXPECT_EQ(t, mem_test_alloc_live, 0);
	kfree(x);
}

/* Two replicas of one process (MEM_PROC_REPLICA at nodes 10 and 11), fed
 * the same requests as the pMonitor feeds them: each keeps every vRegion
 * itself (GMM is never asked), both place the mmap at the same address,
 * hold the same lines, fork alike, and exit leaves nothing at either. A
 * flag the protocol does not know is refused. */
KTEST(mem, replicas_keep_every_vregion_themselves)
{
	struct mt *x = kzalloc(sizeof(*x));
	struct p2m_proc_create_msg bad = { .pid = PID, .flags = 4 };
	u64 a[2];

	KT_ASSERT(t, x && mem_sim_init(&x->sim, 3, 0) == 0);
	KT_EXPECT_EQ(t, mt_call(&x->sim.node[0], MEM_OP_P2M_PROC_CREATE, &bad, sizeof(bad),
				NULL, NULL, 0, NULL), -EINVAL);
	for (u32 i = 0; i < 2; i++) {
		struct mem_node *n = &x->sim.node[i];

		KT_EXPECT_EQ(t, mt_create(n, MEM_PROC_REPLICA), 0);
		a[i] = mt_mmap(n, 0, 3 * GiB, MEM_MAP_PRIVATE | MEM_MAP_ANONYMOUS, 0, 0);
		KT_EXPECT_EQ(t, mt_owner(n, a[i]), 10 + i);
		KT_EXPECT_EQ(t, mt_owner(n, a[i] + 2 * GiB), 10 + i);
		KT_EXPECT_EQ(t, mt_writeback(x, n, a[i] + GiB + 5 * P, 0x41), 0);
		KT_EXPECT_EQ(t, mt_fork(n, PID, PID + 1), 0);
	}
	KT_EXPECT_EQ(t, a[0], a[1]);
	KT_EXPECT_EQ(t, x->sim.allocs, 0);
	for (u32 i = 0; i < 2; i++) {
		struct mem_node *n = &x->sim.node[i];

		KT_EXPECT_EQ(t, mt_fetch_as(x, n, PID + 1, a[i] + GiB + 5 * P), MEM_LINE_DATA);
		KT_EXPECT_EQ(t, x->got[0], 0x41);
		KT_EXPECT(t, mem_proc_find(n, PID + 1)->replica);
		KT_EXPECT_EQ(t, mt_exit(n, PID + 1), 0);
		KT_EXPECT_EQ(t, mt_exit(n, PID), 0);
	}
	for (u32 i = 0; i < x->sim.nnodes; i++)
		KT_EXPECT_EQ(t, mt_pages(&x->sim.node[i]), 0);
	mem_sim_destroy(&x->sim);
	KT_EXPECT_EQ(t, mem_test_alloc_live, 0);
	kfree(x);
}

static int mt_replicate(struct mem_node *n, u32 to, u32 flags, u64 from, u32 max,
			struct p2m_replicate_reply *r)
{
	struct p2m_replicate_msg m = { .pid = PID, .to = to, .flags = flags, .max = max,
				       .from = from };

	return mt_call(n, MEM_OP_P2M_REPLICATE, &m, sizeof(m), NULL, r, sizeof(*r), NULL);
}

/* A new replica filled from the primary (P2M_REPLICATE): the same VMAs
 * and break, then every line in batches; a line the new replica got from
 * a later write-back is kept, not overwritten by the older copy; bad
 * requests are refused. */
KTEST(mem, new_replica_filled_from_the_primary)
{
	struct mt *x = kzalloc(sizeof(*x));
	struct p2m_replicate_reply r;
	struct mem_node *p, *b;
	u64 a, from = 0, brk;
	u32 copied = 0, calls = 0;

	KT_ASSERT(t, x && mem_sim_init(&x->sim, 3, 0) == 0);
	p = &x->sim.node[0];
	b = &x->sim.node[1];
	KT_EXPECT_EQ(t, mt_create(p, MEM_PROC_REPLICA), 0);
	a = mt_mmap(p, 0, GiB + 300 * P, MEM_MAP_PRIVATE | MEM_MAP_ANONYMOUS, 0, 0);
	KT_EXPECT_EQ(t, mem_brk(p, PID, 0x600000 + 5 * P, &brk), 0);
	KT_EXPECT_EQ(t, mem_munmap(p, PID, a + 10 * P, P), 0); /* an anon split: off != 0 */
	for (u64 i = 0; i < 200; i++)
		KT_EXPECT_EQ(t, mt_writeback(x, p, a + GiB + i * P, (u8)i), 0);
	KT_EXPECT_EQ(t, mt_replicate(p, 11, 0, 0, 8, &r), -EFAULT); /* nothing there yet */
	KT_EXPECT_EQ(t, mt_replicate(p, 10, MEM_REPL_SETUP, 0, 0, &r), -EINVAL);
	KT_EXPECT_EQ(t, mt_replicate(p, 11, 0, 0, MEM_REPL_MAX + 1, &r), -EINVAL);
	KT_EXPECT_EQ(t, mt_replicate(p, 11, MEM_REPL_SETUP, 0, 0, &r), 0);
	KT_EXPECT_EQ(t, mem_proc_find(b, PID)->as.vmas.n, mem_proc_find(p, PID)->as.vmas.n);
	KT_EXPECT_EQ(t, mem_proc_find(b, PID)->as.brk, 0x600000 + 5 * P);
	KT_EXPECT_EQ(t, mt_writeback(x, b, a + GiB + 7 * P, 0x77), 0); /* a later write */
	while (from != MEM_REPL_DONE && calls++ < 100) {
		KT_ASSERT(t, mt_replicate(p, 11, 0, from, 64, &r) == 0);
		copied += r.copied;
		from = r.next;
	}
	KT_EXPECT_EQ(t, from, MEM_REPL_DONE);
	KT_EXPECT_EQ(t, copied, 200);
	KT_EXPECT_EQ(t, mt_pages(b), 200);
	for (u64 i = 0; i < 200; i++) {
		KT_EXPECT_EQ(t, mt_fetch_as(x, b, PID, a + GiB + i * P), MEM_LINE_DATA);
		KT_EXPECT_EQ(t, x->got[0], i == 7 ? 0x77 : (u8)i);
	}
	KT_EXPECT_EQ(t, mt_fetch_as(x, b, PID, a), MEM_LINE_ZERO);
	KT_EXPECT_EQ(t, mt_owner(b, a), 11);
	KT_EXPECT_EQ(t, x->sim.allocs, 0);
	KT_EXPECT_EQ(t, mt_exit(b, PID), 0);
	KT_EXPECT_EQ(t, mt_exit(p, PID), 0);
	KT_EXPECT_EQ(t, mt_replicate(p, 11, MEM_REPL_SETUP, 0, 0, &r), -ESRCH);
	for (u32 i = 0; i < x->sim.nnodes; i++)
		KT_EXPECT_EQ(t, mt_pages(&x->sim.node[i]), 0);
	mem_sim_destroy(&x->sim);
	KT_EXPECT_EQ(t, mem_test_alloc_live, 0);
	kfree(x);
}
