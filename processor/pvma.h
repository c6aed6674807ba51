/*
 * A set of VMAs: sorted, disjoint, page-aligned ranges with a protection
 * and, for file-backed ranges, where their first-touch bytes come from.
 * The pMonitor keeps one per process as a mirror of what the memory
 * backend reports, to validate faults without a round trip; the test
 * memory backend keeps one per process as the real thing.
 *
 * Not locked: the owner serializes (the process's mm_lock).
 */
#ifndef PROCESSOR_PVMA_H
#define PROCESSOR_PVMA_H

#include <tessera/types.h>

#include "processor/pfile.h"

#define PVMA_FILE 1u /* first touch reads the file, not zeros */

struct pvma {
	u64 start, end;
	u32 prot;  /* PROT_* */
	u32 flags; /* PVMA_* */
	struct pfile_handle file;
	u64 off;   /* file offset of start */
	u64 flen;  /* bytes from start that come from the file; zeros after */
};

struct pvma_set {
	struct pvma *v; /* sorted by start */
	u32 n, cap;
};

void pvma_init(struct pvma_set *s);
void pvma_free(struct pvma_set *s);
/* The VMA containing addr, or NULL. */
const struct pvma *pvma_find(const struct pvma_set *s, u64 addr);
/* True if no VMA overlaps [start, end). */
bool pvma_is_free(const struct pvma_set *s, u64 start, u64 end);
/* True if VMAs cover every page of [start, end). */
bool pvma_covers(const struct pvma_set *s, u64 start, u64 end);
/* The highest free gap of len bytes ending at or below top and starting
 * at or above bottom: its start, or 0. */
u64 pvma_gap_below(const struct pvma_set *s, u64 len, u64 bottom, u64 top);
/* Install v, replacing whatever overlapped it. 0 or -ENOMEM. */
int pvma_insert(struct pvma_set *s, const struct pvma *v);
/* Unmap [start, end), splitting VMAs at its edges. 0 or -ENOMEM. */
int pvma_remove(struct pvma_set *s, u64 start, u64 end);
/* Give every mapped page of [start, end) protection prot. 0 or -ENOMEM. */
int pvma_protect(struct pvma_set *s, u64 start, u64 end, u32 prot);

#endif
