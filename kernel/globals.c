/* Definitions of the state declared in kernel/globals.h. */
#include "kernel/globals.h"

struct cpu cpu0;
struct spinlock sched_lock = SPINLOCK_INIT("sched", LOCK_RANK_SCHED);
struct list_node run_queue = LIST_INIT(run_queue);
struct list_node sleep_list = LIST_INIT(sleep_list);
