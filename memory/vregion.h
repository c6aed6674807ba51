/*
 * vRegions: the user address space cut into fixed-size pieces (a power of
 * two, 1 GiB by default), each owned by one mComponent. A home keeps, per
 * process, the owner of every vRegion the process has used: a sorted array
 * of (index, owner, backup), binary-searched. Not thread-safe: the caller
 * serializes (memory/mem.h).
 */
#ifndef MEMORY_VREGION_H
#define MEMORY_VREGION_H

#include <tessera/types.h>

#include "memory/mem_alloc.h"

#define VREGION_DEFAULT_SHIFT 30 /* 1 GiB */

struct vregion_owner {
	u64 idx; /* vRegion number: address >> shift */
	u32 owner; /* node id */
	u32 backup; /* node id, MEM_NODE_NONE until replication */
};

struct vregion_map {
	struct vregion_owner *e; /* e[0..n), sorted by idx */
	u32 n, cap;
	const struct mem_alloc *alloc;
};

void vregion_map_init(struct vregion_map *m, const struct mem_alloc *a);
void vregion_map_destroy(struct vregion_map *m);
/* The entry of vRegion idx, or NULL. */
struct vregion_owner *vregion_lookup(const struct vregion_map *m, u64 idx);
/* Index of the first entry with e.idx >= idx. */
u32 vregion_first_from(const struct vregion_map *m, u64 idx);
/* dst (initialized, empty) becomes a copy of src: 0 or -ENOMEM. */
int vregion_map_copy(struct vregion_map *dst, const struct vregion_map *src);
/* Record owner for idx (not yet present): 0 or -ENOMEM. */
int vregion_add(struct vregion_map *m, u64 idx, u32 owner);

#endif
