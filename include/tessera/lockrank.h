/*
 * Lock ranks: every spinlock and mutex of a monitor is created with a rank
 * from this one list, and a lock may be acquired only while every lock the
 * acquirer holds has a strictly lower rank. Outer locks come first. Test
 * images check the order at every acquire (lockrank_checks, a 0/1
 * constant that test images set, always compiled) and panic naming both
 * locks; production images only carry the ranks.
 *
 * Mutexes all rank below spinlocks: a thread may take a spinlock while it
 * holds a mutex, never the other way round (it would sleep with a
 * spinlock held). Spinlocks are tracked per CPU (they are held with
 * interrupts off, and sched_lock passes from one thread to the next on
 * its CPU), mutexes per thread (they are held across sleeps).
 *
 * The order across folders, outermost first:
 *   launch (a launch's output) -> file descriptors -> futex waiters ->
 *   a process's address space (mm_lock) -> an ExCache set -> a file
 *   client's writes -> the mMonitor's per-pid lock / the sMonitor's
 *   volume / test backends ->
 *   peer connections -> CM -> RPC endpoint -> interface
 * then the spinlocks: pMonitor bookkeeping -> memory stores -> drivers
 * -> wait queues -> the scheduler -> allocators -> TLB shootdown -> the
 * console.
 */
#ifndef TESSERA_LOCKRANK_H
#define TESSERA_LOCKRANK_H

#include <tessera/types.h>

enum lock_rank {
	/* Mutexes. */
	LOCK_RANK_LAUNCH_OUT = 1, /* processor/launch: one launch's OUTPUT calls */
	LOCK_RANK_LAUNCH_IN,      /* processor/launch: one launch's stdin pipe */
	LOCK_RANK_PROC_CWD,       /* processor/fd: a working directory */
	LOCK_RANK_FD_TABLE,       /* processor/fd: a descriptor table */
	LOCK_RANK_FD_FILE,        /* processor/fd: an open file's position */
	LOCK_RANK_PIPE,           /* processor/fd: a pipe's buffer and ends */
	LOCK_RANK_FUTEX,          /* processor/proc: a process's futex waiters */
	LOCK_RANK_PROC_MM,        /* processor/proc: pproc.mm_lock */
	LOCK_RANK_EXCACHE_SET,    /* processor/cache: one set, across a fill */
	LOCK_RANK_PMOUNTS,        /* processor/fd: the vNodes' tmpfs trees */
	LOCK_RANK_FILE_RPC,       /* processor/backend: a file client's writes */
	LOCK_RANK_TMPFS,          /* processor/fd: one tmpfs */
	LOCK_RANK_MEM_PID,        /* memory: requests of one pid */
	LOCK_RANK_FS_VOLUME,      /* storage: the mounted volume */
	LOCK_RANK_TEST_BACKEND,   /* test images: the local memory backend */
	LOCK_RANK_TEST_MUTEX,     /* test images: kernel/mutex_test.c */
	LOCK_RANK_PEER_CACHE,     /* cluster: shared connections by address */
	LOCK_RANK_RPC_BENCH,      /* cluster: one bench run's results */
	LOCK_RANK_CM,             /* net/rpc: connection setup (calls accept) */
	LOCK_RANK_RPC_EP,         /* net/rpc: an endpoint */
	LOCK_RANK_NET_IF,         /* net/inet: an interface and its QPs */
	LOCK_RANK_MUTEX_MAX = LOCK_RANK_NET_IF,
	/* Spinlocks. */
	LOCK_RANK_LAUNCHES,       /* processor/launch: the launch table */
	LOCK_RANK_PMON,           /* processor: the process table */
	LOCK_RANK_PTIMERS,        /* processor: armed alarm timers */
	LOCK_RANK_PROC_PT,        /* processor: a process's page tables */
	LOCK_RANK_WB_SET,         /* processor: a written-back set */
	LOCK_RANK_EXCACHE_LIMIT,  /* processor/cache: per-space caps */
	LOCK_RANK_MEM_HOMES,      /* processor/backend: pid -> home */
	LOCK_RANK_ABI_SIG,        /* linux-abi: a process's signal state */
	LOCK_RANK_PSTORE,         /* memory: stored lines */
	LOCK_RANK_MEM_NODE,       /* memory: a process node */
	LOCK_RANK_ECHO,           /* cluster: the frame echo pinger */
	LOCK_RANK_TEST_OUTER,     /* test images: kernel/lockrank_test.c */
	LOCK_RANK_TEST_INNER,
	LOCK_RANK_NET_RAND,       /* net/plat: the random generator */
	LOCK_RANK_RANDOM,         /* kernel: the random generator */
	LOCK_RANK_VBLK,           /* drivers: a virtio-blk device */
	LOCK_RANK_NIC_TX,         /* drivers: a NIC's transmit ring (virtio-net, e1000e) */
	LOCK_RANK_NVME_Q,         /* drivers: one NVMe queue pair */
	LOCK_RANK_NETDEV,         /* drivers: the netdev registry */
	LOCK_RANK_BLK,            /* drivers: the block device registry */
	LOCK_RANK_PCI_MAP,        /* drivers: BAR mappings */
	LOCK_RANK_PCI_CFG,        /* drivers: configuration space access */
	LOCK_RANK_IRQ,            /* arch: the interrupt handler table */
	LOCK_RANK_WAITQ,          /* kernel: a wait queue's waiters */
	LOCK_RANK_SCHED,          /* kernel: run queue, sleep list, states */
	LOCK_RANK_KMALLOC,        /* kernel: the heap */
	LOCK_RANK_KSPACE,         /* arch: the kernel's page tables */
	LOCK_RANK_TLB,            /* arch: one TLB shootdown at a time */
	LOCK_RANK_PMM,            /* kernel: the page allocator */
	LOCK_RANK_CONSOLE,        /* kernel: the console, innermost of all */
	LOCK_RANK_COUNT
};

/* What a CPU or thread holds, innermost last. */
#define LOCK_HELD_MAX 16
struct lock_held {
	const void *lock;
	const char *name;
	u32 rank;
	u32 pad;
};
struct lock_stack {
	u32 n;
	u32 overflow; /* acquires not recorded: the stack was full */
	struct lock_held e[LOCK_HELD_MAX];
};

/* True in test images (kernel/lockrank_check.c), false otherwise. */
extern const bool lockrank_checks;

/* Record an acquire of lock on s; with check, first panic if s holds a
 * lock of the same or a higher rank ("lock order violation: acquiring
 * <name> (rank r) while holding <name> (rank r)"). */
void lockrank_acquire(struct lock_stack *s, const void *lock, const char *name,
		      u32 rank, bool check);
/* Record the release of lock; panics if s does not hold it. */
void lockrank_release(struct lock_stack *s, const void *lock, const char *name);
/* The lock of s that forbids acquiring rank, or NULL (no panic). */
const struct lock_held *lockrank_conflict(const struct lock_stack *s, u32 rank);
/* Stop checking (the panic path prints under any lock). */
void lockrank_stop(void);

/* Where the running context keeps its locks: spinlocks per CPU, mutexes
 * per thread (kernel/sched.c; the host tests' shim). */
struct lock_stack *lockrank_cpu_stack(void);
struct lock_stack *lockrank_thread_stack(void);

#endif
