/* Definitions of the state declared in kernel/globals.h. */
#include "kernel/globals.h"

struct cpu cpus[MAX_CPUS];
struct spinlock sched_lock = SPINLOCK_INIT("sched", LOCK_RANK_SCHED);
struct list_node sleep_list = LIST_INIT(sleep_list);
int sched_cpus = 1;

struct cpu *cpu_this(void)
{
	return &cpus[arch_cpu_index()];
}
