/*
 * netplat for deterministic host tests (see plat_sim.h). Frames go to the
 * simulated link (simlink.c), which also moves the clock.
 */
#include <stdlib.h>

#include <tessera/errno.h>
#include <tessera/net/plat.h>

#include "net/plat/plat_sim.h"
#include "net/plat/simlink.h"

static u64 sim_now;
static u64 rng_net = 0x9e3779b97f4a7c15ull, rng_test = 0x2545f4914f6cdd1dull;

static u64 xorshift(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

void plat_sim_set_time(u64 ns)
{
	sim_now = ns;
}

void plat_sim_seed(u64 seed)
{
	rng_net = seed * 0x9e3779b97f4a7c15ull | 1;
	rng_test = seed * 0x2545f4914f6cdd1dull | 1;
}

u32 plat_sim_rand_below(u32 n)
{
	return (u32)(xorshift(&rng_test) % n);
}

u64 netplat_now_ns(void)
{
	return sim_now;
}

void *netplat_alloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

void netplat_free(void *p)
{
	free(p);
}

u32 netplat_random(void)
{
	return (u32)(xorshift(&rng_net) >> 16);
}

int netplat_xmit(void *port, const void *frame, size_t len)
{
	return simlink_xmit(port, frame, len);
}

struct netplat_lock {
	int depth;
};

struct netplat_cond {
	int unused;
};

struct netplat_lock *netplat_lock_new(const char *name, u32 rank)
{
	return calloc(1, sizeof(struct netplat_lock));
}

void netplat_lock_free(struct netplat_lock *l)
{
	free(l);
}

/* Recursion would be a deadlock on a real platform: catch it here. */
void netplat_lock(struct netplat_lock *l)
{
	if (l->depth++)
		abort();
}

void netplat_unlock(struct netplat_lock *l)
{
	l->depth--;
}

struct netplat_cond *netplat_cond_new(void)
{
	return calloc(1, sizeof(struct netplat_cond));
}

void netplat_cond_free(struct netplat_cond *c)
{
	free(c);
}

int netplat_cond_wait(struct netplat_cond *c, struct netplat_lock *l,
		      u64 deadline_ns)
{
	return -ETIMEDOUT;
}

void netplat_cond_broadcast(struct netplat_cond *c)
{
}

int netplat_thread_start(const char *name, void (*fn)(void *arg), void *arg)
{
	return -ENOSYS;
}
