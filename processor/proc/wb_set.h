/*
 * The lines of a process that were ever written back to the memory
 * backend. A miss on one of them must fetch it; a miss on any other line
 * is its first touch and is filled locally (zeros, or the file's bytes)
 * without a round trip.
 *
 * Locking: lock guards the buckets. Adds come from evictions, which run
 * under an ExCache set lock in any process's fault path.
 */
#ifndef PROCESSOR_PROC_WB_SET_H
#define PROCESSOR_PROC_WB_SET_H

#include <tessera/lock.h>
#include <tessera/types.h>

#define PWSET_BUCKETS 256

struct pwset_node;

struct pwset {
	struct spinlock lock;
	struct pwset_node *bucket[PWSET_BUCKETS];
	u64 count;
};

void pwset_init(struct pwset *w);
/* 0 or -ENOMEM. */
int pwset_add(struct pwset *w, u64 vaddr);
bool pwset_has(struct pwset *w, u64 vaddr);
/* Forget every line in [start, end) (unmapped: next touch is first). */
void pwset_remove_range(struct pwset *w, u64 start, u64 end);
void pwset_clear(struct pwset *w);
/* dst (initialized, empty, not yet shared) gets every line of src: 0 or
 * -ENOMEM (dst then holds a part; clear it). */
int pwset_copy(struct pwset *dst, struct pwset *src);

#endif
