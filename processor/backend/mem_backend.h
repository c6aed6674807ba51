/*
 * The memory backend: where a process's address space really lives. The
 * production backend is a client of the process's home mComponent and the
 * vRegion owners (tessera/wire/mem.h); the test backend is a local page
 * store. The pMonitor keeps only a cache (the ExCache) and a mirror of the
 * VMAs, which it updates from the changes these ops report.
 *
 * Address-space ops take Linux's arguments (PROT_* and MAP_* values) and
 * apply Linux's rules; each reports what became of the VMAs as one
 * struct pmem_change, or a negative errno with nothing changed. Line ops
 * move one 4 KiB page. Every op may sleep; callers hold no spinlock.
 */
#ifndef PROCESSOR_BACKEND_MEM_BACKEND_H
#define PROCESSOR_BACKEND_MEM_BACKEND_H

#include <tessera/types.h>

#include "processor/backend/file_backend.h"

#define PMEM_PAGE 4096ull
/* Where top-down mmap placement starts (Linux's mmap_base without ASLR). */
#define PMEM_MMAP_BASE 0x7ffff7fff000ull

enum pmem_change_kind {
	PMEM_NONE,    /* nothing changed (brk to the same page) */
	PMEM_MAP,     /* [start, end) is now one new VMA with prot */
	PMEM_UNMAP,   /* [start, end) is no longer mapped */
	PMEM_PROTECT, /* every VMA in [start, end) now has prot */
};

struct pmem_change {
	u32 kind;  /* enum pmem_change_kind */
	u32 prot;  /* PROT_* */
	u64 start; /* page aligned */
	u64 end;
};

/* mmap(2) arguments. file is meaningful unless MAP_ANONYMOUS. */
struct pmem_mmap_req {
	u64 addr;
	u64 len;
	u32 prot;
	u32 flags;
	struct pfile_handle file;
	u64 off;
};

/* fetch results */
#define PMEM_LINE_DATA 1 /* page holds the line */
#define PMEM_LINE_ZERO 2 /* the line was never stored: zero-fill it */

struct pmem_ops {
	/* Make an empty address space for pid; brk starts at brk_start. */
	int (*proc_create)(void *be, u32 pid, u64 brk_start);
	/* Empty pid's address space for a new program (execve). */
	int (*proc_exec)(void *be, u32 pid, u64 brk_start);
	/* Free every VMA and page of pid. */
	void (*proc_exit)(void *be, u32 pid);
	/* On success ch->start is the address mmap returns. */
	int (*mmap)(void *be, u32 pid, const struct pmem_mmap_req *rq, struct pmem_change *ch);
	int (*munmap)(void *be, u32 pid, u64 addr, u64 len, struct pmem_change *ch);
	int (*mprotect)(void *be, u32 pid, u64 addr, u64 len, u32 prot,
			struct pmem_change *ch);
	/* Move the break from old_brk to brk; -ENOMEM if it cannot move
	 * (the break stays). */
	int (*brk)(void *be, u32 pid, u64 old_brk, u64 brk, struct pmem_change *ch);
	/* The line at vaddr into page: PMEM_LINE_DATA or PMEM_LINE_ZERO. */
	int (*fetch)(void *be, u32 pid, u64 vaddr, bool write, void *page);
	/* Store page as the line at vaddr. */
	int (*writeback)(void *be, u32 pid, u64 vaddr, const void *page);
	/* Store victim as the line at victim_vaddr, then fetch as fetch does,
	 * in one request. *victim_err is 0 only if the victim was surely
	 * stored, whatever the fetch's result. */
	int (*fetch_victim)(void *be, u32 pid, u64 vaddr, bool write, void *page,
			    u64 victim_vaddr, const void *victim, int *victim_err);
	/* child (a new pid) gets a copy of pid's address space: VMAs,
	 * break and stored lines, copied where they are kept (the caller
	 * has written pid's dirty lines back first). */
	int (*fork)(void *be, u32 pid, u32 child);
	/* Bytes this backend has moved in all (requests and replies with
	 * their RPC headers), for the fork cost the pMonitor reports. */
	u64 (*bytes_moved)(void *be);
	/* Is pid's memory gone (every component that kept it failed)? Then
	 * true and why, naming them by address (cap bytes, terminated).
	 * NULL: memory that cannot be lost. */
	bool (*lost)(void *be, u32 pid, char *why, u32 cap);
};

struct pmem_backend {
	const struct pmem_ops *ops;
	void *be;
};

#endif
