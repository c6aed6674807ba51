/*
 * netplat for a monitor: the kernel clock, kmalloc, a sleeping mutex and
 * condition variables built from wait queues, kernel threads, and frames
 * out through the netdev registry (the port is the struct netdev).
 *
 * net/ holds its locks across work that can take a while (building and
 * sending frames, copying messages) and may sleep under them (allocation,
 * a full NIC ring), so netplat_lock is a mutex, never a spinlock: the
 * spinlocks used here guard only their few words and are never held
 * while sleeping.
 */
#include <tessera/arch.h>
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/lock.h>
#include <tessera/mutex.h>
#include <tessera/net/plat.h>
#include <tessera/netdev.h>
#include <tessera/thread.h>
#include <tessera/time.h>
#include <tessera/wait.h>

static struct spinlock rand_lock = SPINLOCK_INIT("netrand", LOCK_RANK_NET_RAND);
static u64 rand_state; /* guarded by rand_lock; 0 until first use */

u64 netplat_now_ns(void)
{
	return time_ns();
}

void *netplat_alloc(size_t size)
{
	return kzalloc(size ? size : 1);
}

void netplat_free(void *p)
{
	if (p)
		kfree(p);
}

u32 netplat_random(void)
{
	u64 x;

	spin_lock(&rand_lock);
	if (!rand_state)
		rand_state = arch_cycles() * 0x9e3779b97f4a7c15ull | 1;
	x = rand_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rand_state = x;
	spin_unlock(&rand_lock);
	return (u32)(x >> 16);
}

int netplat_xmit(void *port, const void *frame, size_t len)
{
	return netdev_xmit(port, frame, len);
}

/* The kernel's mutex, so that its rank is checked like any other. */
struct netplat_lock {
	struct mutex m;
};

struct netplat_lock *netplat_lock_new(const char *name, u32 rank)
{
	struct netplat_lock *l = kzalloc(sizeof(*l));

	if (l)
		mutex_init(&l->m, name, rank);
	return l;
}

void netplat_lock_free(struct netplat_lock *l)
{
	kfree(l);
}

void netplat_lock(struct netplat_lock *l)
{
	mutex_lock(&l->m);
}

void netplat_unlock(struct netplat_lock *l)
{
	mutex_unlock(&l->m);
}

/* A condition: seq counts broadcasts, so a waiter that announced itself
 * before releasing the mutex cannot miss one. */
struct netplat_cond {
	u64 seq;
	struct wait_queue wq;
};

struct netplat_cond *netplat_cond_new(void)
{
	struct netplat_cond *c = kzalloc(sizeof(*c));

	if (c)
		wait_queue_init(&c->wq);
	return c;
}

void netplat_cond_free(struct netplat_cond *c)
{
	kfree(c);
}

int netplat_cond_wait(struct netplat_cond *c, struct netplat_lock *l,
		      u64 deadline_ns)
{
	u64 seq = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);
	struct waiter w = { .queued = false };
	int err = 0;

	wait_prepare(&c->wq, &w);
	netplat_unlock(l);
	for (;;) {
		if (__atomic_load_n(&c->seq, __ATOMIC_ACQUIRE) != seq)
			break;
		if (time_ns() >= deadline_ns) {
			err = -ETIMEDOUT;
			break;
		}
		sched_block(deadline_ns);
		wait_prepare(&c->wq, &w);
	}
	wait_finish(&c->wq, &w);
	netplat_lock(l);
	return err;
}

void netplat_cond_broadcast(struct netplat_cond *c)
{
	__atomic_add_fetch(&c->seq, 1, __ATOMIC_RELEASE);
	wake_up_all(&c->wq);
}

int netplat_thread_start(const char *name, void (*fn)(void *arg), void *arg)
{
	return thread_spawn(fn, arg, name);
}
