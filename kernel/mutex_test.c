/* Sleeping mutex: mutual exclusion across threads that sleep inside. */
#include <tessera/ktest.h>
#include <tessera/mutex.h>
#include <tessera/thread.h>
#include <tessera/time.h>

static struct mutex mt_lock;
static volatile int mt_inside, mt_max_inside, mt_done;

static void mt_worker(void *arg)
{
	for (int i = 0; i < 20; i++) {
		mutex_lock(&mt_lock);
		if (++mt_inside > mt_max_inside)
			mt_max_inside = mt_inside;
		thread_sleep_ns(NSEC_PER_MSEC); /* sleep holding it */
		mt_inside--;
		mt_done++;
		mutex_unlock(&mt_lock);
	}
}

KTEST(mutex, excludes_across_sleep)
{
	struct thread *th[3];

	mutex_init(&mt_lock, "mutex_test", LOCK_RANK_TEST_MUTEX);
	mt_inside = mt_max_inside = mt_done = 0;
	for (int i = 0; i < 3; i++) {
		th[i] = thread_create(mt_worker, NULL, "mutex-worker");
		KT_ASSERT(t, th[i] != NULL);
	}
	for (int i = 0; i < 3; i++)
		thread_join(th[i]);
	KT_EXPECT_EQ(t, mt_max_inside, 1);
	KT_EXPECT_EQ(t, mt_done, 60);
	KT_EXPECT(t, mutex_trylock(&mt_lock));
	KT_EXPECT(t, !mutex_trylock(&mt_lock));
	mutex_unlock(&mt_lock);
}
