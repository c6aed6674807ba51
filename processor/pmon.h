/*
 * The pMonitor's state, all in one place: a struct pmon (one ExCache, the
 * memory and file backends, the processes), its processes (struct pproc)
 * and their threads (struct pthread). The role runs one pmon built from
 * boot arguments; tests build their own, small, with test backends.
 *
 * Lock order: pproc.mm_lock, then an ExCache set lock, then pproc.pt_lock
 * or pproc.wset.lock or pmon.lock (spinlocks, never held across a sleep),
 * then a process's abi.sig_lock; the ranks that test images check are in
 * tessera/lockrank.h.
 *  - pmon.lock guards procs and next_pid, and the process tree: every
 *    pproc's parent, root, children, sibling, state, wait_report,
 *    child_events, and exited. A process is on procs from its spawn or
 *    fork until it is reaped, zombies included.
 *  - pproc.mm_lock (mutex) guards vmas, and is held across a fault's fill
 *    and across mmap/munmap/mprotect/brk, so the mirror and the cache
 *    agree with the backend.
 *  - pproc.pt_lock guards changes to the page tables of pproc.space: the
 *    process's own faults and other processes' evictions both change them.
 *  - pproc.fds and pproc.cwd have their own mutexes (processor/fd/fd.h).
 *  - exit_*, wstatus, times: written once by the exiting thread before it
 *    becomes a zombie (under pmon.lock), read by the reaper after.
 *  - stopped, conts: [abi.sig_lock] (processor/proc/signal.h).
 *  - threads, nthreads, group_exit, dead, and every pthread's link and
 *    kthread: [abi.sig_lock] (processor/proc/thread.c). A thread is on
 *    threads from its clone until it leaves (its last step before
 *    thread_exit); a thread other than main then waits on dead to be
 *    joined and freed. Signal senders pick and wake threads under
 *    sig_lock, so a thread they find is never freed under them.
 *  - futex: its own mutex (processor/proc/futex.h).
 *  - stats: atomic adds; read when the process has exited.
 *  - miss_ns, nmiss: [mm_lock] while it runs; read when it has exited.
 *  - mem_lost: set once (atomic store) by its own fault path, read by its
 *    threads at faults and syscalls.
 */
#ifndef PROCESSOR_PMON_H
#define PROCESSOR_PMON_H

#include <tessera/list.h>
#include <tessera/lock.h>
#include <tessera/mutex.h>
#include <tessera/types.h>
#include <tessera/vmaset.h>
#include <tessera/wait.h>

#include "linux-abi/abi_proc.h"
#include "processor/backend/mem_backend.h"
#include "processor/cache/excache.h"
#include "processor/fd/fd.h"
#include "processor/fd/tmpfs.h"
#include "processor/proc/futex.h"
#include "processor/proc/timer.h"
#include "processor/proc/wb_set.h"

struct mmu_space;
struct pexec_image;
struct thread;

struct pmon {
	struct excache cache;
	paddr_t *frames;   /* physical address of each ExCache frame */
	u32 nframes;
	void *meta;        /* the ExCache's sets and lines */
	struct pmem_backend mem;
	struct pfile_backend files;
	struct spinlock lock;
	struct list_node procs; /* [lock] struct pproc.link */
	u32 next_pid;           /* [lock] */
	struct ptimers timers;  /* alarm and setitimer (processor/proc/timer.h) */
	struct pmount_table mounts; /* the vNodes' /tmp and /dev/shm (fd/tmpfs.h) */
};

/* Per-process counters of the fault path and the ExCache. */
struct pproc_stats {
	u64 misses;      /* lines filled */
	u64 zero_fills;  /* of which: first touch of anonymous memory */
	u64 file_fills;  /* of which: first touch read from the file */
	u64 fetches;     /* of which: fetched from the memory backend */
	u64 soft_hits;   /* faults that found the line already cached */
	u64 evictions;   /* of this process's lines */
	u64 writebacks;  /* of which: dirty, sent to the memory backend */
	u64 carried;     /* of which: rode on a fetch (processor/proc/victim_carry.c) */
	u64 forks;       /* forks it made */
	u64 fork_bytes;  /* what the memory backend moved for them and for
	                  * its children's exits (processor/proc/fork.c) */
};

#define PPROC_REASON_MAX 80
#define PPROC_MISS_LOG 8192 /* fetching misses whose latency is kept */
#define PPROC_COMM_MAX 16
#define PPROC_ARGS_SHOW 48 /* bytes of its command line that ps shows */
#define PPROC_PATH_MAX 256
#define PTHREAD_IOBUF 4096

enum pproc_state { PPROC_LIVE, PPROC_ZOMBIE };

/* Who holds a process tree's shared state (a launch's output sinks and
 * file backend): hold(ctx, +1) when a process of the tree is made,
 * hold(ctx, -1) when it is freed. */
struct pproc_owner {
	void (*hold)(void *ctx, int delta);
	void *ctx;
};

/* wait_report: a stop (PPROC_REPORT_STOP | signal) or a continue that the
 * parent's wait has not seen yet. */
#define PPROC_REPORT_STOP 0x100u
#define PPROC_REPORT_CONT 0x200u

struct pproc {
	struct pmon *mon;
	u32 pid;
	u32 vnode;               /* GPM's vNode id (0: none): kill -1's reach */
	struct abi_proc abi;
	struct mmu_space *space;
	struct spinlock pt_lock;
	struct mutex mm_lock;
	struct vmaset vmas;      /* [mm_lock] mirror of the backend's VMAs */
	u64 vm_bytes;            /* their total size: stored under mm_lock,
	                          * read atomically (/proc) */
	struct pwset written;      /* lines ever written back: fetch, not fill */
	struct pfd_table fds;
	struct pcwd cwd;           /* its working directory (own lock) */
	struct pfile_backend files; /* where its files come from */
	bool console_bol;          /* its console output is at a line start */
	struct pthread *main;      /* the first thread; freed with the process */
	struct thread *kthread;    /* main's kernel thread, joined by the waiter */
	struct list_node threads;  /* [abi.sig_lock] live struct pthread.link */
	u32 nthreads;              /* [abi.sig_lock] how many are on threads */
	bool group_exit;           /* [abi.sig_lock] the process is ending:
	                            * no new threads; the others leave */
	struct list_node dead;     /* [abi.sig_lock] threads that left, to join */
	struct wait_queue threads_wq; /* woken when a thread leaves */
	struct pfutex futex;       /* futex waiters (processor/proc/futex.c) */
	struct pexec_image *image; /* the program, from pexec_prepare to start */
	bool mem_created;          /* the memory backend knows pid */
	bool execed;               /* [mon->lock] it ran execve since its fork */
	char exe[PPROC_PATH_MAX];
	char comm[PPROC_COMM_MAX]; /* exec sets it; prctl under abi.sig_lock */
	char args[PPROC_ARGS_SHOW]; /* argv joined by spaces, cut short */
	struct pargs *pargs;       /* [mon->lock] what /proc shows of its exec */
	int exit_status;           /* for the CLI: 0..255, 128 + signal */
	int wstatus;               /* as wait(2) encodes it */
	char exit_reason[PPROC_REASON_MAX]; /* "" for a normal exit */
	bool exited;               /* [mon->lock] a zombie now */
	struct wait_queue exit_wq; /* woken when it becomes a zombie */
	struct pproc_owner owner;  /* set at spawn, inherited by fork */
	/* The process tree [mon->lock]. */
	struct pproc *parent;      /* NULL: none (a launch's process, or an orphan) */
	struct pproc *root;        /* its launch's process, which adopts orphans;
	                            * NULL once that one is gone */
	struct list_node children; /* of struct pproc.sibling */
	struct list_node sibling;
	u32 state;                 /* enum pproc_state */
	u32 exit_signal;           /* what the parent gets at exit (0: none) */
	u32 wait_report;           /* PPROC_REPORT_* */
	u64 child_events;          /* counts children's changes: wait's wake-up */
	struct wait_queue child_wq;
	/* vfork: the parent sleeps until the child execs or ends. */
	struct pproc *vfork_parent; /* [its thread] the parent that sleeps */
	bool vfork_waiting;        /* [mon->lock] this parent sleeps */
	struct wait_queue vfork_wq;
	u64 start_ns;              /* time_ns() at spawn or fork */
	u64 end_ns;                /* time_ns() when it became a zombie */
	u64 exit_bytes;            /* what the memory backend moved for its exit */
	u64 cutime_ns;             /* [mon->lock] run time of reaped children */
	struct ptimer timer;       /* ITIMER_REAL [mon->timers.lock] */
	bool stopped;              /* [abi.sig_lock] by a stop signal */
	u64 conts;                 /* [abi.sig_lock] SIGCONTs posted so far */
	struct wait_queue stop_wq; /* woken when it continues */
	struct pproc_stats stats;
	u64 *miss_ns;              /* fault-to-resume time of the first
	                            * PPROC_MISS_LOG misses that fetched */
	u32 nmiss;
	void *victim_buf;          /* [mm_lock] a carried victim (processor/proc/victim_carry.c) */
	bool mem_lost;             /* a dirty line could not be stored: it
	                            * dies at its next fault or syscall */
	struct list_node link;     /* [mon->lock] on mon->procs */
};

/* The argument and environment strings of a process's exec, each with
 * its NUL (processor/proc/exec_args.c): argv_len bytes of them, then
 * env_len of the environment. */
struct pargs {
	u32 refs;
	u32 argv_len, env_len;
	char data[];
};

struct pfork_start;

struct pthread {
	struct abi_thread abi;
	struct pproc *proc;
	struct thread *kthread;     /* [proc->abi.sig_lock] its kernel thread */
	struct list_node link;      /* [proc->abi.sig_lock] on threads or dead */
	struct wait_queue sleep_wq; /* its sig_sleep: woken only by signals */
	struct pfork_start *fork;   /* a fork's child until it enters user mode */
	u8 iobuf[PTHREAD_IOBUF];
};

#endif
