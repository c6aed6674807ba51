/*
 * Futexes of a process (futex.c): the threads that wait on a word of its
 * memory, and the robust-list and tid-word cleanup of a thread that ends.
 *
 * Keys are (process, user address) for private and shared futexes alike:
 * threads of one process share its memory; a word shared between
 * processes (MAP_SHARED across fork) is not matched across them.
 *
 * Locking: pfutex.lock (a mutex, LOCK_RANK_FUTEX, taken before mm_lock)
 * is held across a waiter's read of the word and its enqueue, and across
 * every wake and requeue, so a waker on another CPU that changed the word
 * before its FUTEX_WAKE either finds the waiter queued or the waiter saw
 * the new value. The read may fault (the ExCache fill runs under the
 * mutex). A waiter's woken flag and its place on waiters change only
 * under the lock; the waiter sleeps without it.
 */
#ifndef PROCESSOR_PROC_FUTEX_H
#define PROCESSOR_PROC_FUTEX_H

#include <tessera/list.h>
#include <tessera/mutex.h>
#include <tessera/types.h>

struct abi_futex;
struct abi_thread;
struct pproc;
struct pthread;

struct pfutex {
	struct mutex lock;
	struct list_node waiters; /* [lock] struct pfutex_waiter.link, oldest first */
};

void pfutex_init(struct pfutex *fx);
/* The futex op of pabi_ops (linux-abi/abi_proc.h). */
long pfutex_op(struct abi_thread *t, const struct abi_futex *f);
/* Wake up to n (Linux's count: at least one) waiters of p on uaddr whose
 * bitset meets bitset: how many. */
int pfutex_wake(struct pproc *p, u64 uaddr, s32 n, u32 bitset);
/* A thread ends (its process's memory still there): mark the robust
 * futexes it holds FUTEX_OWNER_DIED and wake a waiter of each, then clear
 * its clear_child_tid word and wake one waiter on it. Idempotent. */
void pfutex_thread_exit(struct pthread *th);

#endif
