/*
 * The Linux rules of mmap, munmap, mprotect and brk, table-driven. Each
 * scenario is a list of steps on a fresh address space (break at
 * 0x600000, mmap base 0x7f0000000000); each step states the result Linux
 * gives (x86-64, 4 KiB pages, vm.mmap_min_addr 65536, no randomization)
 * and CHECK steps state the resulting layout.
 */
#include <tessera/errno.h>
#include <tessera/ktest.h>

#include "memory/mem_testenv.h"
#include "memory/vma_space.h"

#define P 0x1000ull
#define B VMA_MMAP_BASE
#define HEAP 0x600000ull
#define A 0x10000000ull
#define RW (MEM_PROT_READ | MEM_PROT_WRITE)
#define R MEM_PROT_READ
#define PA (MEM_MAP_PRIVATE | MEM_MAP_ANONYMOUS)
#define PF MEM_MAP_PRIVATE /* private file mapping of inode 7 */
#define FX MEM_MAP_FIXED
#define NR MEM_MAP_FIXED_NOREPLACE
#define UNMAPPED 0xffu

enum vt_op { MMAP = 1, MUNMAP, MPROT, BRK, CHECK, CHECKOFF, NVMAS };

/* One step. CHECK: [addr, addr + len) is exactly one VMA with prot, or
 * prot UNMAPPED: nothing is mapped there. */
struct vt_step {
	enum vt_op op;
	u64 addr, len;
	u32 prot, flags;
	s64 ret; /* 0 or -errno; BRK: the break returned */
	u64 out; /* MMAP: address; CHECKOFF: file offset; NVMAS: count */
	u64 off; /* MMAP: file offset */
};

#define MM(a, l, p, f, r, o) \
	{ .op = MMAP, .addr = a, .len = l, .prot = p, .flags = f, .ret = r, .out = o }
#define MMO(a, l, p, f, r, o, fo) \
	{ .op = MMAP, .addr = a, .len = l, .prot = p, .flags = f, .ret = r, \
	  .out = o, .off = fo }
#define UN(a, l, r) { .op = MUNMAP, .addr = a, .len = l, .ret = r }
#define MP(a, l, p, r) { .op = MPROT, .addr = a, .len = l, .prot = p, .ret = r }
#define BK(a, r) { .op = BRK, .addr = a, .ret = r }
#define CK(a, l, p) { .op = CHECK, .addr = a, .len = l, .prot = p }
#define CO(a, o) { .op = CHECKOFF, .addr = a, .out = o }
#define NV(n) { .op = NVMAS, .out = n }

static const struct vt_step vt_mmap[] = {
	MM(0, 0, RW, PA, -EINVAL, 0),
	MM(0, 1, RW, PA, 0, B - P), /* top-down, length rounded */
	MM(0, 2 * P, RW, PA, 0, B - 3 * P),
	NV(1), /* merged with the one above */
	MM(0, P, R, PA, 0, B - 4 * P),
	NV(2), /* different prot: not merged */
	MMO(0, P, RW, PA, -EINVAL, 0, 1),
	MM(0, P, RW, MEM_MAP_ANONYMOUS, -EINVAL, 0), /* no map type */
	MM(0, P, RW, 0xf | MEM_MAP_ANONYMOUS, -EINVAL, 0),
	MM(0, ~0ull, RW, PA, -ENOMEM, 0), /* rounding overflows */
	MM(0, VMA_TASK_SIZE + P, RW, PA, -ENOMEM, 0),
	MM(A + 0x800, P, RW, PA | FX, -EINVAL, 0),
	MM(0x1000, P, RW, PA | FX, -EPERM, 0), /* below mmap_min_addr */
	MM(VMA_TASK_SIZE - P, 2 * P, RW, PA | FX, -ENOMEM, 0),
	MM(A, 4 * P, RW, PA | FX, 0, A),
	MM(A + 2 * P, 4 * P, RW, PA | NR, -EEXIST, 0),
	MM(A + 0x800, P, RW, PA | NR, -EINVAL, 0),
	MM(A + 4 * P, P, R, PA | NR, 0, A + 4 * P),
	MM(0x20000000, P, RW, PA, 0, 0x20000000), /* free hint */
	MM(A + P, P, RW, PA, 0, B - 5 * P), /* taken hint */
	MM(0x30000123, P, RW, PA, 0, 0x30000000), /* hint rounded down */
	MM(0x1000, P, RW, PA, 0, 0x10000), /* raised to min addr */
	MM(A + P, P, R, PA | FX, 0, A + P), /* FIXED replaces */
	CK(A, P, RW),
	CK(A + P, P, R),
	CK(A + 2 * P, 2 * P, RW),
	CK(A + 4 * P, P, R),
	MM(0x40000000, P, RW, MEM_MAP_SHARED, -EOPNOTSUPP, 0),
	MM(0x40000000, P, RW, MEM_MAP_SHARED | MEM_MAP_ANONYMOUS, 0, 0x40000000),
	MMO(0x50000000, 4 * P, R, PF | FX, 0, 0x50000000, 3 * P),
	MMO(0x50004000, P, R, PF | FX, 0, 0x50004000, 7 * P),
	NV(12), /* contiguous file offsets merge */
	CK(0x50000000, 5 * P, R),
	MMO(0x50005000, P, R, PF | FX, 0, 0x50005000, 9 * P),
	NV(13), /* offsets not contiguous: no merge */
	UN(0x50001000, P, 0),
	CO(0x50002000, 5 * P), /* a split keeps offsets */
	CO(0x50000000, 3 * P),
	MMO(0x60000000, 2 * P, R, PF, -EOVERFLOW, 0, ~0xfffull),
	MM(0x7ff000000000, P, RW, PA, 0, 0x7ff000000000), /* above base */
	{ 0 },
};

static const struct vt_step vt_munmap[] = {
	MM(A, 8 * P, RW, PA | FX, 0, A),
	UN(A + 0x800, P, -EINVAL),
	UN(A, 0, -EINVAL),
	UN(VMA_TASK_SIZE, P, -EINVAL),
	UN(A, VMA_TASK_SIZE, -EINVAL),
	UN(0x20000000, P, 0), /* a hole is fine */
	UN(A + 2 * P, 1, 0), /* rounded to a page */
	CK(A, 2 * P, RW),
	CK(A + 2 * P, P, UNMAPPED),
	CK(A + 3 * P, 5 * P, RW),
	NV(2),
	MM(A + 16 * P, P, R, PA | FX, 0, A + 16 * P),
	UN(A + P, 16 * P, 0), /* spans VMAs and holes */
	CK(A, P, RW),
	CK(A + P, 16 * P, UNMAPPED),
	NV(1),
	{ 0 },
};

static const struct vt_step vt_mprotect[] = {
	MM(A, 2 * P, RW, PA | FX, 0, A),
	MM(A + 3 * P, 2 * P, RW, PA | FX, 0, A + 3 * P),
	MP(A + 0x800, P, R, -EINVAL),
	MP(A, 0, R, 0),
	MP(A, P, 0x10, -EINVAL),
	MP(0x20000000, P, R, -ENOMEM),
	MP(A, ~0ull, R, -ENOMEM), /* end wraps */
	MP(A, 4 * P, R, -ENOMEM), /* hole at A + 2P */
	CK(A, 2 * P, R), /* as Linux: changed up to the hole */
	CK(A + 3 * P, 2 * P, RW),
	MP(A + 3 * P, 1, R, 0),
	CK(A + 3 * P, P, R),
	CK(A + 4 * P, P, RW),
	NV(3),
	MP(A + 3 * P, P, RW, 0),
	NV(2), /* merged back */
	MP(A + P, P, 0, 0),
	CK(A + P, P, 0),
	MP(A, P, R | 0x8, 0), /* PROT_SEM is accepted */
	CK(A, P, R),
	{ 0 },
};

static const struct vt_step vt_brk[] = {
	BK(0, HEAP),
	BK(HEAP + 1, HEAP + 1),
	CK(HEAP, P, RW),
	BK(HEAP + 3 * P, HEAP + 3 * P),
	CK(HEAP, 3 * P, RW),
	BK(HEAP - P, HEAP + 3 * P), /* below start: old break */
	BK(HEAP + P, HEAP + P), /* shrink */
	CK(HEAP, P, RW),
	CK(HEAP + P, 2 * P, UNMAPPED),
	MM(HEAP + 10 * P, P, RW, PA | FX, 0, HEAP + 10 * P),
	BK(HEAP + 10 * P, HEAP + P), /* collides */
	BK(HEAP + 9 * P + 1, HEAP + P), /* no guard page left */
	BK(HEAP + 9 * P, HEAP + 9 * P),
	CK(HEAP, 9 * P, RW),
	NV(2),
	BK(VMA_TASK_SIZE + 1, HEAP + 9 * P),
	BK(HEAP, HEAP),
	CK(HEAP, 9 * P, UNMAPPED),
	BK(HEAP + 0x800, HEAP + 0x800),
	BK(HEAP + 0x900, HEAP + 0x900), /* same page */
	CK(HEAP, P, RW),
	{ 0 },
};

static bool vt_check(const struct vma_space *as, const struct vt_step *s)
{
	const struct vma *v = vmaset_find(&as->vmas, s->addr);

	if (s->op == NVMAS)
		return as->vmas.n == s->out;
	if (s->op == CHECKOFF)
		return v && v->start == s->addr && v->off == s->out;
	if (s->prot == UNMAPPED)
		return vmaset_range_free(&as->vmas, s->addr, s->addr + s->len);
	return v && v->start == s->addr && v->end == s->addr + s->len &&
	       v->prot == s->prot;
}

static s64 vt_do_brk(struct vma_space *as, u64 want)
{
	struct vma_change ch;
	u64 nb = vma_brk_plan(as, want, &ch);

	if (vma_brk_commit(as, nb, &ch))
		return (s64)as->brk;
	return (s64)nb;
}

static bool vt_step(struct vma_space *as, const struct vt_step *s)
{
	struct p2m_mmap_msg m = { .addr = s->addr, .len = s->len,
				  .prot = s->prot, .flags = s->flags,
				  .off = s->off, .file = { 7, 1, 0 } };
	struct vma v;
	u64 done;
	int err;

	switch (s->op) {
	case MMAP:
		err = vma_mmap_plan(as, &m, &v);
		if (!err)
			err = vma_mmap_commit(as, &v);
		return err == s->ret && (err || v.start == s->out);
	case MUNMAP:
		return vma_munmap(as, s->addr, s->len) == s->ret;
	case MPROT:
		return vma_mprotect(as, s->addr, s->len, s->prot, &done) == s->ret;
	case BRK:
		return vt_do_brk(as, s->addr) == s->ret;
	default:
		return vt_check(as, s);
	}
}

static void vt_run(struct ktest_ctx *t, const struct vt_step *steps)
{
	struct vma_space as;

	vma_space_init(&as, &mem_test_alloc, HEAP, 0);
	for (u32 i = 0; steps[i].op; i++) {
		if (!vt_step(&as, &steps[i])) {
			ktest_log("step %u (op %d addr %#llx) differs from Linux",
				  i, steps[i].op,
				  (unsigned long long)steps[i].addr);
			KT_EXPECT(t, false);
		}
	}
	vma_space_destroy(&as);
}

KTEST(vma, mmap_rules)
{
	vt_run(t, vt_mmap);
}

KTEST(vma, munmap_rules)
{
	vt_run(t, vt_munmap);
}

KTEST(vma, mprotect_rules)
{
	vt_run(t, vt_mprotect);
}

KTEST(vma, brk_rules)
{
	vt_run(t, vt_brk);
}
