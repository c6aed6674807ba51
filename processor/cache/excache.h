/*
 * The ExCache: a fixed slice of local DRAM used as a set-associative cache of
 * 4 KiB lines of remote memory. The x86 page tables are its tags: a cached
 * line is a present PTE pointing at one of the cache's frames, so a hit is
 * an ordinary memory access that this code never sees. A miss is a page
 * fault; the fault path asks excache_get_way() for a frame in the line's
 * set, fills it (from the owning mComponent, or with zeros on first touch),
 * maps it and calls excache_commit().
 *
 * Lines are identified by (space, vaddr): space is an address-space id
 * (the process), vaddr a page-aligned user address. The set is a hash of
 * both, so consecutive pages of one process fall in consecutive sets.
 *
 * Everything that touches page tables or the network is a hook, so the
 * policy and bookkeeping run unchanged in host tests.
 *
 * Locking: each set has a sleeping mutex (set->lock) held from
 * excache_get_way() to excache_commit()/excache_abort() — it covers the
 * write-back of a victim and the fetch of the new line, both of which
 * sleep. It guards the set's ways and the policy's per-set state. Counters
 * are updated under the set lock with atomic adds.
 *
 * Eviction and concurrent writers: the victim's process does not hold the
 * set lock while it runs, and the write-back sleeps. So a victim is first
 * write-protected with its dirty bit taken atomically (hooks->protect),
 * then written back, then unmapped: a write in between faults, waits for
 * the set lock and fetches the line again, with the write-back in it. If
 * the write-back fails, hooks->restore puts the mapping back as it was.
 *
 * A dirty victim of the faulting space itself may instead be carried
 * (struct excache_carry): protected, copied out and unmapped with no
 * write-back, for the caller to send along with its fetch. It is stored
 * nowhere until then, so the caller must store it before it commits or
 * aborts: a fault on the victim maps to the same set and waits for it.
 */
#ifndef PROCESSOR_CACHE_EXCACHE_H
#define PROCESSOR_CACHE_EXCACHE_H

#include <tessera/lock.h>
#include <tessera/mutex.h>
#include <tessera/types.h>

#define EXCACHE_LINE 4096u

enum excache_state { LINE_FREE, LINE_FILLING, LINE_VALID };

struct excache_line {
	u64 space;   /* address-space id; meaningful unless FREE */
	u64 vaddr;   /* page-aligned user address */
	u32 frame;   /* index of the frame this way owns, fixed */
	u8 state;    /* enum excache_state */
	u8 pad[3];
};

struct excache_set {
	struct mutex lock;
	u32 hand; /* policy state: next way to consider */
	u32 pad;
};

struct excache;

struct excache_hooks {
	/* The page behind l was written since it was mapped (PTE dirty). */
	bool (*dirty)(struct excache *c, const struct excache_line *l);
	/* Write-protect l and take its dirty bit in one atomic step, so a
	 * write from now on faults (and waits for the set lock) instead of
	 * landing in a frame that is being written back; *saved gets what
	 * restore needs. True if l was written since it was mapped. */
	bool (*protect)(struct excache *c, const struct excache_line *l, u32 *saved);
	/* Undo protect (the write-back failed, l stays cached). */
	void (*restore)(struct excache *c, const struct excache_line *l, u32 saved);
	/* After protect and a write-back that stored l, give l back the
	 * write access saved says, clean (not dirty): it stays cached. */
	void (*reopen)(struct excache *c, const struct excache_line *l, u32 saved);
	/* Accessed since the last call (PTE accessed bit); clears the bit. */
	bool (*test_clear_accessed)(struct excache *c, const struct excache_line *l);
	/* Remove the mapping of l and flush it from the TLB. */
	void (*unmap)(struct excache *c, const struct excache_line *l);
	/* Send the frame's contents to the line's owner. 0 or -errno. */
	int (*writeback)(struct excache *c, const struct excache_line *l, void *data);
	/* An addressable pointer to frame i. */
	void *(*frame_data)(struct excache *c, u32 frame);
	/* Optional: l was just evicted (after any write-back and the unmap),
	 * for the owner's accounting. */
	void (*evicted)(struct excache *c, const struct excache_line *l);
};

struct excache_policy {
	const char *name;
	/* Pick the way to evict from a full set (every way VALID). Set lock held. */
	u32 (*victim)(struct excache *c, struct excache_set *set, struct excache_line *ways);
};

struct excache_stats {
	u64 misses;      /* lines filled */
	u64 zero_fills;  /* of which: first touch, no round trip */
	u64 evictions;
	u64 writebacks;  /* dirty victims sent back on their own */
	u64 carried;     /* dirty victims handed to the caller (excache_carry) */
	u64 clean_drops; /* clean victims dropped without a round trip */
	u64 soft_hits;   /* faults that found the line already cached */
};

/* A space capped below the whole cache uses only sets [0, nsets). */
#define EXCACHE_LIMITS 64
struct excache_limit {
	u64 space;
	u32 nsets; /* 0: slot unused */
	u32 pad;
};

struct excache {
	u32 nsets, ways;
	struct spinlock limit_lock;                   /* guards limits[] */
	struct excache_limit limits[EXCACHE_LIMITS];
	struct excache_set *sets;
	struct excache_line *lines; /* nsets * ways; set s owns [s*ways, s*ways+ways) */
	const struct excache_policy *policy;
	const struct excache_hooks *hooks;
	void *priv;
	struct excache_stats stats;
};

/* The policies, each in its own file, which registers it with
 * EXCACHE_POLICY; the build links the files it wants. Looked up by name
 * ("fifo", "clock"); NULL for a name no linked policy has. */
#define EXCACHE_POLICY(p)                                                   \
	static const struct excache_policy *const excache_policy_entry_##p  \
		__attribute__((section("excache_policies"), used)) = &(p)
const struct excache_policy *excache_policy_find(const char *name);

/* Set up c for nframes frames (rounded down to a multiple of ways); the
 * caller provides memory for sets and lines (excache_meta_size). */
size_t excache_meta_size(u32 nframes, u32 ways);
int excache_init(struct excache *c, u32 nframes, u32 ways, void *meta,
		 const struct excache_policy *policy, const struct excache_hooks *hooks);

/* The set a line maps to. */
u32 excache_set_of(struct excache *c, u64 space, u64 vaddr);

/* Cap space to about bytes of the cache (whole sets, at least one): its
 * lines then map only to the first sets, where they compete with each
 * other and with everyone else's. Set before the space has lines; bytes
 * at or above the cache's size removes the cap. -ENOSPC when
 * EXCACHE_LIMITS spaces are capped already. */
int excache_limit_space(struct excache *c, u64 space, u64 bytes);
void excache_unlimit_space(struct excache *c, u64 space);
/* How much of the cache space may use, in bytes. */
u64 excache_space_bytes(struct excache *c, u64 space);
/* How many sets space may use. */
u32 excache_space_sets(struct excache *c, u64 space);

/* A dirty victim that rides on the caller's fetch instead of a write-back
 * of its own. */
struct excache_carry {
	void *buf;   /* in: EXCACHE_LINE bytes for the victim's contents */
	u64 vaddr;   /* out, if taken: the victim's address */
	bool taken;  /* out: buf holds a dirty line the caller must store */
};

/*
 * Miss path, step 1: lock the line's set and find a way for it. If the line
 * is already cached (another thread filled it), *line is that way, 1 is
 * returned and the set is unlocked. Otherwise a free way or a victim
 * (written back if dirty, then unmapped) is reserved as FILLING, 0 is
 * returned and the set stays locked for the caller to fill and map the frame.
 * Negative errno (write-back failure): set unlocked, nothing changed.
 * With cv (NULL: none), a dirty victim of space itself is carried instead
 * of written back (cv->taken; see above).
 */
int excache_get_way(struct excache *c, u64 space, u64 vaddr, struct excache_line **line,
		    struct excache_carry *cv);
/* Step 2: the frame is filled and mapped; counts the miss; unlocks. */
void excache_commit(struct excache *c, struct excache_line *line, bool zero_fill);
/* Step 2 on failure: the way becomes free again; unlocks. */
void excache_abort(struct excache *c, struct excache_line *line);

/* Forget every line of space (process exit): unmapped, not written back. */
void excache_drop_space(struct excache *c, u64 space);
/* Write back every dirty line of space, keeping them cached and clean
 * (protect, write back, reopen: a write meanwhile waits for the set
 * lock). 0, or the first write-back error (that line stays dirty). */
int excache_flush_space(struct excache *c, u64 space);
u32 excache_lines_of(struct excache *c, u64 space);
/* Forget the lines of space in [start, end) (munmap: not written back;
 * writeback: dirty ones are written back first, as for mprotect). 0, or
 * the first write-back error (that line stays cached). */
int excache_drop_range(struct excache *c, u64 space, u64 start, u64 end, bool writeback);

#endif
