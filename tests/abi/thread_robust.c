/* A robust mutex whose owner thread ends while holding it: the next
 * locker gets EOWNERDEAD (the kernel marked the word FUTEX_OWNER_DIED
 * from the dead thread's robust list), makes it consistent, and the
 * mutex works again; a waiter blocked on it is woken. */
#include <pthread.h>
#include <unistd.h>

#include "abi.h"

static pthread_mutex_t m;
static int waiter_got = -1;

static void *owner(void *arg)
{
	pthread_mutex_lock(&m);
	return NULL; /* ends holding it */
}

static void *waiter(void *arg)
{
	int r = pthread_mutex_lock(&m);

	waiter_got = r;
	if (r == EOWNERDEAD)
		pthread_mutex_consistent(&m);
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_mutexattr_t a;
	pthread_t th;

	abi_init(argc, argv);
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&m, &a);
	pthread_create(&th, NULL, owner, NULL);
	pthread_join(th, NULL);
	say("lock after the owner died: %s", ename(pthread_mutex_lock(&m)));
	SHOW(pthread_mutex_consistent(&m));
	SHOW(pthread_mutex_unlock(&m));
	say("lock again: %s", ename(pthread_mutex_lock(&m)));
	SHOW(pthread_mutex_unlock(&m));
	/* Now with a waiter blocked in the kernel when the owner dies. */
	pthread_mutex_lock(&m);
	pthread_create(&th, NULL, waiter, NULL);
	usleep(20000);
	{
		pthread_t o;

		pthread_mutex_unlock(&m);
		pthread_join(th, NULL);
		say("waiter: %s", ename(waiter_got));
		pthread_create(&o, NULL, owner, NULL);
		pthread_join(o, NULL);
	}
	pthread_create(&th, NULL, waiter, NULL);
	pthread_join(th, NULL);
	say("waiter after a second death: %s", ename(waiter_got));
	return 0;
}
