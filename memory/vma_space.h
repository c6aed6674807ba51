/*
 * A process's address space as its home sees it: the VMA set of the whole
 * space, the program break and the mmap base, with the Linux rules of
 * mmap, munmap, mprotect and brk (x86-64, 4 KiB pages, 47-bit user space).
 *
 * Each call validates and decides first; vma_space_* changes nothing
 * when it fails. The home uses the two-step mmap and brk (plan, then
 * commit) to find vRegion owners for the new range between the steps.
 *
 * Deviations from Linux: MAP_SHARED file mappings are refused
 * (-EOPNOTSUPP: writable memory is never shared across the network);
 * PROT_GROWSDOWN/GROWSUP in mprotect are refused (-EINVAL); no address
 * randomization.
 *
 * Not thread-safe: the caller serializes (memory/mem.h).
 */
#ifndef MEMORY_VMA_SPACE_H
#define MEMORY_VMA_SPACE_H

#include <tessera/vmaset.h>
#include <tessera/wire/mem.h>

#include "memory/mem_alloc.h"

#define VMA_PAGE_SIZE ((u64)MEM_PAGE_SIZE)
#define VMA_PAGE_MASK (VMA_PAGE_SIZE - 1)

#define VMA_TASK_SIZE 0x7ffffffff000ull /* end of user space */
#define VMA_MMAP_MIN_ADDR 0x10000ull /* vm.mmap_min_addr */
#define VMA_MMAP_BASE 0x7f0000000000ull /* top-down mmap starts below */
#define VMA_MAX_COUNT 65530u /* vm.max_map_count */

/* A file-backed VMA (flags MEM_VMA_*, MEM_VMA_FILE being VMASET_FILE)
 * reads all of itself from the file: flen covers it. */
_Static_assert(MEM_VMA_FILE == VMASET_FILE, "MEM_VMA_FILE");

static inline struct vmaset_file vma_file_from_wire(struct mem_file_handle h)
{
	return (struct vmaset_file){ .ino = h.ino, .gen = h.gen };
}

static inline struct mem_file_handle vma_file_to_wire(struct vmaset_file f)
{
	return (struct mem_file_handle){ .ino = f.ino, .gen = f.gen };
}

struct vma_space {
	struct vmaset vmas;
	u64 brk_start; /* set at exec: end of the ELF image */
	u64 brk; /* current break, not page aligned */
	u64 mmap_base;
};

/* A change the home must pass on to vRegion owners. */
struct vma_change {
	u64 start, end; /* empty when start == end */
	bool map; /* map anonymous read-write, else unmap */
};

void vma_space_init(struct vma_space *as, const struct mem_alloc *a,
		    u64 brk_start, u64 mmap_base);
void vma_space_destroy(struct vma_space *as);

/* mmap step 1: validate m and choose the range; fills *v, changes nothing. */
int vma_mmap_plan(const struct vma_space *as, const struct p2m_mmap_msg *m,
		  struct vma *v);
/* mmap step 2: replace whatever [v->start, v->end) held by v. */
int vma_mmap_commit(struct vma_space *as, const struct vma *v);

/* munmap argument check; 0 and *end, or -EINVAL. */
int vma_munmap_check(u64 addr, u64 len, u64 *end);
int vma_munmap(struct vma_space *as, u64 addr, u64 len);

/* mprotect: 0, or -errno. As Linux, on a hole the VMAs before it are
 * changed and -ENOMEM returned; *done is the end of the changed part
 * (addr when nothing changed). */
int vma_mprotect(struct vma_space *as, u64 addr, u64 len, u32 prot,
		 u64 *done);

/* brk step 1: the break that brk(want) gives and the mapping change it
 * needs (empty if none, or if brk fails: then the result is the old
 * break). */
u64 vma_brk_plan(const struct vma_space *as, u64 want,
		 struct vma_change *ch);
/* brk step 2: apply ch and set the break to result; on -ENOMEM the break
 * stays. */
int vma_brk_commit(struct vma_space *as, u64 result,
		   const struct vma_change *ch);

#endif
