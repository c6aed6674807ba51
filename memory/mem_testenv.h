/*
 * Test support for memory/: an allocator that can be told to fail, and a
 * simulated cluster of mComponents in one address space, whose mem_ops
 * deliver M2M requests by calling the target node's dispatcher, pick
 * vRegion owners round-robin (as a stand-in GMM) and read files whose
 * bytes are a function of (inode, offset). Builds in the kernel and on
 * the host. Single-threaded.
 */
#ifndef MEMORY_MEM_TESTENV_H
#define MEMORY_MEM_TESTENV_H

#include "memory/mem.h"

#define MEM_SIM_NODES 4

/* mem_kalloc, but allocation number fail_at (counting from 1) and all
 * later ones fail while fail_at != 0. */
extern const struct mem_alloc mem_test_alloc;
extern u64 mem_test_alloc_count;
extern u64 mem_test_alloc_fail_at;
/* Objects allocated and not yet freed through mem_test_alloc. */
extern s64 mem_test_alloc_live;

struct mem_sim {
	struct mem_node node[MEM_SIM_NODES];
	u32 nnodes;
	u32 next_owner; /* round-robin cursor of the stand-in GMM */
	int alloc_err; /* nonzero: vregion_alloc fails with this */
	u32 allocs, frees; /* vRegions handed out and returned */
	u32 file_reads;
};

/* Node i has id 10 + i. */
int mem_sim_init(struct mem_sim *s, u32 nnodes, u32 vregion_shift);
void mem_sim_destroy(struct mem_sim *s);
struct mem_node *mem_sim_node(struct mem_sim *s, u32 id);

/* The bytes mem_sim's storage returns for a file page. */
void mem_sim_file_page(const struct mem_file_handle *f, u64 off, void *page);

/* Tiny deterministic PRNG (xorshift64*). */
static inline u64 mem_test_rand(u64 *state)
{
	u64 x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dull;
}

#endif
