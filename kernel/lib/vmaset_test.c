/*
 * VMA sets: splitting on remove and protect, replacing on insert, file
 * extents (offset and file length) that follow a split and merge only
 * when contiguous, gaps found top-down and bottom-up, failure atomicity,
 * and thousands of random inserts, removes and protects against a
 * page-array model, in rounds that start from an empty set so that
 * allocations made while the array grows fail now and then (a failed
 * call must leave the set as the model has it). Host and in-kernel.
 * The Linux mmap rules built on top are tested in memory/vma_space_test.c.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/ktest.h>
#include <tessera/string.h>
#include <tessera/vmaset.h>

#define PG 4096ull
#define R 1u
#define RW 3u

/* kmalloc that fails from the vt_fail_at-th call on (0: never). */
static u64 vt_calls, vt_fail_at;

static void *vt_alloc(size_t size)
{
	vt_calls++;
	if (vt_fail_at && vt_calls >= vt_fail_at)
		return NULL;
	return kmalloc(size);
}

static void vt_init(struct vmaset *s)
{
	vt_calls = vt_fail_at = 0;
	vmaset_init(s, vt_alloc, kfree);
}

static struct vma vma(u64 start, u64 end, u32 prot)
{
	struct vma v = { .start = start, .end = end, .prot = prot };

	return v;
}

KTEST(vmaset, remove_splits_and_keeps_file_offsets)
{
	struct vmaset s;
	struct vma v = vma(0x10000, 0x10000 + 8 * PG, R);
	const struct vma *r;

	vt_init(&s);
	v.flags = VMASET_FILE;
	v.off = 0x3000;
	v.flen = 3 * PG + 100;
	KT_ASSERT(t, vmaset_insert(&s, &v) == 0);
	KT_ASSERT(t, vmaset_remove(&s, 0x10000 + 2 * PG, 0x10000 + 4 * PG) == 0);
	KT_EXPECT_EQ(t, s.n, 2);
	r = vmaset_find(&s, 0x10000 + 5 * PG);
	KT_ASSERT(t, r != NULL);
	KT_EXPECT_EQ(t, r->start, 0x10000 + 4 * PG);
	KT_EXPECT_EQ(t, r->off, 0x3000 + 4 * PG);
	KT_EXPECT_EQ(t, r->flen, 0); /* the file part ended before the cut */
	KT_EXPECT(t, vmaset_find(&s, 0x10000 + 2 * PG) == NULL);
	r = vmaset_find(&s, 0x10000 + PG);
	KT_ASSERT(t, r != NULL);
	KT_EXPECT_EQ(t, r->flen, 3 * PG + 100);
	KT_EXPECT(t, !vmaset_range_mapped(&s, 0x10000, 0x10000 + 8 * PG));
	KT_EXPECT(t, vmaset_range_mapped(&s, 0x10000, 0x10000 + 2 * PG));
	vmaset_destroy(&s);
}

KTEST(vmaset, protect_splits_three_ways_and_insert_replaces)
{
	struct vmaset s;
	struct vma v = vma(0x20000, 0x20000 + 6 * PG, RW);
	struct vma w = vma(0x20000 + PG, 0x20000 + 7 * PG, 4);

	vt_init(&s);
	KT_ASSERT(t, vmaset_insert(&s, &v) == 0);
	KT_ASSERT(t, vmaset_protect(&s, 0x20000 + 2 * PG, 0x20000 + 3 * PG, R) == 0);
	KT_EXPECT_EQ(t, s.n, 3);
	KT_EXPECT_EQ(t, vmaset_find(&s, 0x20000 + 2 * PG)->prot, R);
	KT_EXPECT_EQ(t, vmaset_find(&s, 0x20000 + 3 * PG)->prot, RW);
	KT_ASSERT(t, vmaset_protect(&s, 0x20000 + 2 * PG, 0x20000 + 3 * PG, RW) == 0);
	KT_EXPECT_EQ(t, s.n, 1); /* merged back */
	KT_ASSERT(t, vmaset_insert(&s, &w) == 0);
	KT_EXPECT_EQ(t, s.n, 2);
	KT_EXPECT_EQ(t, vmaset_find(&s, 0x20000)->end, 0x20000 + PG);
	KT_EXPECT_EQ(t, vmaset_find(&s, 0x20000 + 6 * PG)->prot, 4);
	for (u32 i = 1; i < s.n; i++)
		KT_EXPECT(t, s.v[i - 1].end <= s.v[i].start);
	vmaset_destroy(&s);
}

/* File VMAs merge only as one contiguous extent of one file. */
KTEST(vmaset, copy_is_independent_and_failure_leaves_it_empty)
{
	struct vmaset s, c;
	struct vma a = vma(0x40000, 0x40000 + 4 * PG, RW);

	vt_init(&s);
	KT_ASSERT(t, vmaset_insert(&s, &a) == 0);
	a = vma(0x80000, 0x80000 + PG, R);
	KT_ASSERT(t, vmaset_insert(&s, &a) == 0);
	vmaset_init(&c, vt_alloc, kfree);
	KT_ASSERT(t, vmaset_copy(&c, &s) == 0);
	KT_EXPECT_EQ(t, c.n, 2);
	KT_ASSERT(t, vmaset_remove(&c, 0x40000, 0x40000 + PG) == 0);
	KT_EXPECT_EQ(t, vmaset_find(&s, 0x40000)->end, 0x40000 + 4 * PG);
	KT_EXPECT(t, vmaset_find(&c, 0x40000) == NULL);
	vmaset_destroy(&c);
	vmaset_init(&c, vt_alloc, kfree);
	vt_fail_at = vt_calls + 1;
	KT_EXPECT_EQ(t, vmaset_copy(&c, &s), -ENOMEM);
	KT_EXPECT_EQ(t, c.n, 0);
	vt_fail_at = 0;
	vmaset_destroy(&c);
	vmaset_init(&c, vt_alloc, kfree);
	vmaset_destroy(&s);
	KT_EXPECT_EQ(t, vmaset_copy(&c, &s), 0); /* of an empty set */
	KT_EXPECT_EQ(t, c.n, 0);
	vmaset_destroy(&c);
}

KTEST(vmaset, file_extents_merge_when_contiguous)
{
	struct vmaset s;
	struct vma a = vma(0x30000, 0x30000 + 2 * PG, R);
	struct vma b = vma(0x30000 + 2 * PG, 0x30000 + 3 * PG, R);

	vt_init(&s);
	a.flags = b.flags = VMASET_FILE;
	a.file.ino = b.file.ino = 7;
	a.off = 0x5000;
	a.flen = 2 * PG;
	b.off = 0x5000 + 2 * PG;
	b.flen = 100;
	KT_ASSERT(t, vmaset_insert(&s, &a) == 0 && vmaset_insert(&s, &b) == 0);
	KT_EXPECT_EQ(t, s.n, 1);
	KT_EXPECT_EQ(t, s.v[0].flen, 2 * PG + 100);
	KT_ASSERT(t, vmaset_remove(&s, 0x30000 + PG, 0x30000 + 3 * PG) == 0);
	a.start = 0x30000 + PG;
	a.off = 0x5000 + PG;
	a.flen = 100; /* file part ends inside: nothing may extend it */
	KT_ASSERT(t, vmaset_insert(&s, &a) == 0 && vmaset_insert(&s, &b) == 0);
	KT_EXPECT_EQ(t, s.n, 2);
	b.start = 0x30000 + 4 * PG;
	b.end = 0x30000 + 5 * PG;
	b.off = 0x5000 + 3 * PG;
	b.file.gen = 1; /* another file */
	KT_ASSERT(t, vmaset_insert(&s, &b) == 0);
	b.start = 0x30000 + 3 * PG;
	b.end = 0x30000 + 4 * PG;
	b.off = 0x5000 + 2 * PG;
	b.flen = PG;
	KT_ASSERT(t, vmaset_insert(&s, &b) == 0);
	KT_EXPECT_EQ(t, s.n, 3); /* merged with the gen 1 VMA only */
	KT_EXPECT_EQ(t, vmaset_find(&s, 0x30000 + 4 * PG)->start, 0x30000 + 3 * PG);
	vmaset_destroy(&s);
}

/* A split that cannot get memory changes nothing. */
KTEST(vmaset, enomem_leaves_set_unchanged)
{
	struct vmaset s;
	struct vma v = vma(0, 0, RW);
	struct vma w = vma(0x10000000 + PG / 2, 0x10000000 + 5 * PG, R);
	u32 i;

	vt_init(&s);
	for (i = 0; i < 8; i++) {
		v.start = 0x10000000 + i * 2 * PG;
		v.end = v.start + PG;
		KT_ASSERT(t, vmaset_insert(&s, &v) == 0);
	}
	KT_EXPECT_EQ(t, s.n, 8);
	vt_calls = 0;
	vt_fail_at = 1;
	KT_EXPECT_EQ(t, vmaset_remove(&s, 0x10000000 + 2 * PG, 0x10000000 + 3 * PG), -ENOMEM);
	KT_EXPECT_EQ(t, vmaset_protect(&s, 0x10000000, 0x10000000 + PG, R), -ENOMEM);
	KT_EXPECT_EQ(t, vmaset_insert(&s, &w), -ENOMEM);
	vt_fail_at = 0;
	KT_EXPECT_EQ(t, s.n, 8);
	KT_EXPECT(t, vmaset_find(&s, 0x10000000 + 2 * PG) &&
		  vmaset_find(&s, 0x10000000)->prot == RW);
	KT_EXPECT_EQ(t, vmaset_remove(&s, 0x10000000 + 2 * PG, 0x10000000 + 3 * PG), 0);
	KT_EXPECT_EQ(t, s.n, 7);
	vmaset_destroy(&s);
}

/* The highest gap is found top-down, the lowest bottom-up. */
KTEST(vmaset, gaps)
{
	struct vmaset s;
	struct vma v = vma(0x20000, 0x7000000000, R);
	struct vma a = vma(0x100000 - 2 * PG, 0x100000, R);
	struct vma b = vma(0x100000 - 5 * PG, 0x100000 - 3 * PG, R);
	u64 addr = 0;

	vt_init(&s);
	KT_ASSERT(t, vmaset_insert(&s, &v) == 0);
	KT_EXPECT_EQ(t, vmaset_gap_topdown(&s, PG, 0x10000, 0x7000000000, &addr), 0);
	KT_EXPECT_EQ(t, addr, 0x1f000);
	KT_EXPECT_EQ(t, vmaset_gap_topdown(&s, 0x20000, 0x10000, 0x7000000000, &addr), -ENOMEM);
	KT_EXPECT_EQ(t, vmaset_gap_bottomup(&s, 0x20000, 0x10000, 0x7100000000, &addr), 0);
	KT_EXPECT_EQ(t, addr, 0x7000000000);
	vmaset_destroy(&s);

	vt_init(&s);
	KT_EXPECT_EQ(t, vmaset_gap_topdown(&s, PG, 0x10000, 0x100000, &addr), 0);
	KT_EXPECT_EQ(t, addr, 0x100000 - PG);
	KT_ASSERT(t, vmaset_insert(&s, &a) == 0 && vmaset_insert(&s, &b) == 0);
	KT_EXPECT_EQ(t, vmaset_gap_topdown(&s, PG, 0x10000, 0x100000, &addr), 0);
	KT_EXPECT_EQ(t, addr, 0x100000 - 3 * PG);
	KT_EXPECT_EQ(t, vmaset_gap_topdown(&s, 2 * PG, 0x10000, 0x100000, &addr), 0);
	KT_EXPECT_EQ(t, addr, 0x100000 - 7 * PG);
	KT_EXPECT_EQ(t, vmaset_gap_topdown(&s, 0x100000, 0x10000, 0x100000, &addr), -ENOMEM);
	KT_EXPECT(t, vmaset_range_free(&s, 0x100000 - 3 * PG, 0x100000 - 2 * PG));
	KT_EXPECT(t, !vmaset_range_free(&s, 0x100000 - 3 * PG, 0x100000 - PG));
	vmaset_destroy(&s);
}

/* The model: one entry per page of a window; fbytes is how many bytes of
 * the page come from the file. */
#define MBASE 0x40000000ull
#define MNP 96u

struct mpage {
	u8 mapped, prot, ino;
	u16 fbytes;
	u64 off;
};

struct model {
	struct mpage pg[MNP];
	u64 seed;
};

static u64 mrnd(struct model *m, u64 n)
{
	m->seed = m->seed * 6364136223846793005ull + 1442695040888963407ull;
	return (m->seed >> 33) % n;
}

static void model_insert(struct model *m, u32 s, const struct vma *v)
{
	for (u64 i = 0; i < (v->end - v->start) / PG; i++) {
		u64 in = i * PG;

		m->pg[s + i] = (struct mpage){
			1, (u8)v->prot, (u8)v->file.ino,
			(u16)(v->flen > in ? MIN(PG, v->flen - in) : 0),
			v->off + in };
	}
}

/* A random VMA at page s; a file one half the time continues the file
 * extent of the page before it. */
static struct vma model_vma(struct model *m, u32 s, u32 len)
{
	struct vma v = vma(MBASE + s * PG, MBASE + (s + len) * PG, (u32)mrnd(m, 3));
	const struct mpage *prev = s ? &m->pg[s - 1] : NULL;

	if (mrnd(m, 2))
		return v;
	v.flags = VMASET_FILE;
	v.file.ino = 1 + mrnd(m, 2);
	v.off = mrnd(m, 16) * PG;
	if (prev && prev->ino && mrnd(m, 2)) {
		v.file.ino = prev->ino;
		v.off = prev->off + PG;
	}
	v.flen = mrnd(m, 2) ? len * PG + mrnd(m, 2) * PG : mrnd(m, (len + 1) * PG);
	return v;
}

/* One random call on both; false if the set's answer is wrong. */
static bool model_step(struct model *m, struct vmaset *set)
{
	u32 len = 1 + (u32)mrnd(m, 12), s = (u32)mrnd(m, MNP - len + 1);
	u64 start = MBASE + s * PG, end = start + len * PG;
	u32 op = (u32)mrnd(m, 3), prot = (u32)mrnd(m, 3);
	struct vma v = model_vma(m, s, len);
	int err;

	vt_calls = 0;
	vt_fail_at = mrnd(m, 8) ? 0 : 1;
	if (op == 0)
		err = vmaset_insert(set, &v);
	else if (op == 1)
		err = vmaset_remove(set, start, end);
	else
		err = vmaset_protect(set, start, end, prot);
	vt_fail_at = 0;
	if (err)
		return err == -ENOMEM;
	if (op == 0)
		model_insert(m, s, &v);
	for (u32 i = s; op && i < s + len; i++) {
		if (op == 1)
			m->pg[i] = (struct mpage){ 0 };
		else
			m->pg[i].prot = (u8)prot;
	}
	return true;
}

static bool model_page_ok(const struct mpage *p, const struct vma *v, u64 a)
{
	u64 in = a - v->start;
	u64 fb = v->flen > in ? MIN(PG, v->flen - in) : 0;

	if (!p->mapped || p->prot != v->prot)
		return false;
	if (!(v->flags & VMASET_FILE))
		return !p->ino;
	return p->ino == v->file.ino && p->off == v->off + in && p->fbytes == fb;
}

static bool model_mergeable(const struct vma *a, const struct vma *b)
{
	u64 alen = a->end - a->start;

	return a->end == b->start && a->prot == b->prot && a->flags == b->flags &&
	       (!(a->flags & VMASET_FILE) ||
		(a->file.ino == b->file.ino && a->off + alen == b->off && a->flen >= alen));
}

/* The set is sorted, disjoint, fully merged and agrees with the model. */
static bool model_matches(const struct model *m, const struct vmaset *set)
{
	u32 mapped = 0, want = 0;

	for (u32 i = 0; i < set->n; i++) {
		const struct vma *v = &set->v[i];

		if (v->start >= v->end || v->start < MBASE || v->end > MBASE + MNP * PG ||
		    (i && (set->v[i - 1].end > v->start ||
			   model_mergeable(&set->v[i - 1], v))))
			return false;
		for (u64 a = v->start; a < v->end; a += PG, mapped++)
			if (!model_page_ok(&m->pg[(a - MBASE) / PG], v, a))
				return false;
	}
	for (u32 i = 0; i < MNP; i++)
		want += m->pg[i].mapped;
	return mapped == want;
}

KTEST(vmaset, random_vs_model)
{
	struct model *m = kzalloc(sizeof(*m));
	struct vmaset s;

	KT_ASSERT(t, m);
	m->seed = 0x5eed;
	vmaset_init(&s, vt_alloc, kfree);
	for (u32 i = 0; i < 6000; i++) {
		if (i % 200 == 0) { /* start over, so the array grows again */
			vmaset_destroy(&s);
			vt_init(&s);
			memset(m->pg, 0, sizeof(m->pg));
		}
		if (!model_step(m, &s) || !model_matches(m, &s)) {
			ktest_log("differs from the model after op %u", i);
			KT_EXPECT(t, false);
			break;
		}
	}
	vmaset_destroy(&s);
	kfree(m);
}
