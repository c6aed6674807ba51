/* clone as pthread_create issues it, by hand: CLONE_PARENT_SETTID writes
 * the new tid before the call returns, CLONE_CHILD_SETTID in the child,
 * CLONE_CHILD_CLEARTID clears the word and wakes a futex waiter at the
 * thread's exit; CLONE_SETTLS gives the thread its FS base. Invalid flag
 * combinations are EINVAL as Linux checks them. */
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"
#include "futex.h"

#define STACK (64 * 1024)

static volatile uint32_t ptid, ctid = 0xffffffffu, child_saw;
static volatile int child_ran;

static int child(void *arg)
{
	child_saw = (uint32_t)syscall(SYS_gettid);
	child_ran = 1;
	return 0;
}

int main(int argc, char **argv)
{
	int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
		    CLONE_SYSVSEM | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID;
	char *stack = malloc(STACK);
	uint32_t tid_seen;
	long tid;

	abi_init(argc, argv);
	tid = clone(child, stack + STACK, flags, NULL, &ptid, NULL, &ctid);
	say("clone: %s", tid > 0 ? "a tid" : ename(errno));
	say("parent tid word holds it: %d", ptid == (uint32_t)tid);
	while ((tid_seen = ctid) != 0)
		fx((void *)&ctid, FUTEX_WAIT, tid_seen, NULL, NULL, 0);
	say("the child ran: %d, saw its own tid: %d, child tid word cleared: %d", child_ran,
	    child_saw == (uint32_t)tid, ctid == 0);
	say("tid differs from pid: %d", tid != getpid());
	SHOW(syscall(SYS_clone, CLONE_THREAD, 0, 0, 0, 0));
	SHOW(syscall(SYS_clone, CLONE_SIGHAND, 0, 0, 0, 0));
	SHOW(syscall(SYS_clone, CLONE_FS | CLONE_NEWNS, 0, 0, 0, 0));
	SHOW(syscall(SYS_clone3, NULL, 8));
	return 0;
}
