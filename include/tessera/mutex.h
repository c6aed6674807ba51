/*
 * Sleeping mutex: for state held across operations that block (network
 * round trips, disk I/O). Never taken in interrupt context. Owners may
 * sleep while holding it; spinlocks must not be held when taking it.
 */
#ifndef TESSERA_MUTEX_H
#define TESSERA_MUTEX_H

#include <tessera/wait.h>

struct mutex {
	struct wait_queue wq;
	volatile int locked; /* changed under wq.lock */
	u32 rank;            /* enum lock_rank, at most LOCK_RANK_MUTEX_MAX */
	const char *name;
};

void mutex_init(struct mutex *m, const char *name, enum lock_rank rank);
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_trylock(struct mutex *m);

#endif
