/*
 * The platform interface of the network stack: everything net/ needs from
 * the world it runs in. net/ is written once; the build links exactly one
 * implementation of this header:
 *
 *   net/plat/plat_kernel.c   a monitor (netdev API, kernel threads)
 *   net/plat/plat_linux.c    Linux user space (pthreads, CLOCK_MONOTONIC)
 *   net/plat/plat_sim.c      host tests (simulated clock, one thread)
 *
 * What the platform provides, and nothing more:
 *   time        netplat_now_ns: monotonic nanoseconds
 *   memory      netplat_alloc (zeroed) / netplat_free
 *   random      netplat_random: 32 random bits (PSNs, keys, ids)
 *   transmit    netplat_xmit: send one Ethernet frame on a port; the frame is
 *               copied, so the buffer is free on return; must not call back
 *               into net/ (it is called with net/ locks held)
 *   locks       netplat_lock_*: a sleeping mutex
 *   waiting     netplat_cond_*: wait with a deadline, broadcast
 *   threads     netplat_thread_start: run fn(arg) in a new thread
 *
 * What the platform calls in return (declared in tessera/net/stack.h):
 *   net_input(nif, frame, len)  for each received frame, from one thread
 *                               per interface, never from interrupts
 *   net_tick(nif)               every millisecond or so, for timers
 */
#ifndef TESSERA_NET_PLAT_H
#define TESSERA_NET_PLAT_H

#include <tessera/types.h>

struct netplat_lock;
struct netplat_cond;

u64 netplat_now_ns(void);
void *netplat_alloc(size_t size);
void netplat_free(void *p);
u32 netplat_random(void);

/* port: the handle given in struct net_if_config. 0 or -errno. */
int netplat_xmit(void *port, const void *frame, size_t len);

/* A mutex named and ranked for the kernel's lock-rank checks
 * (tessera/lockrank.h); other platforms ignore both. NULL when out of
 * memory. */
struct netplat_lock *netplat_lock_new(const char *name, u32 rank);
void netplat_lock_free(struct netplat_lock *l);
void netplat_lock(struct netplat_lock *l);
void netplat_unlock(struct netplat_lock *l);

struct netplat_cond *netplat_cond_new(void);
void netplat_cond_free(struct netplat_cond *c);
/* Atomically release l and wait until broadcast or netplat_now_ns() >=
 * deadline_ns; l is held again on return. 0, or -ETIMEDOUT. Spurious
 * wakeups are allowed: callers re-check their condition. */
int netplat_cond_wait(struct netplat_cond *c, struct netplat_lock *l,
		      u64 deadline_ns);
void netplat_cond_broadcast(struct netplat_cond *c);

/* Start a detached thread running fn(arg). 0 or -errno. */
int netplat_thread_start(const char *name, void (*fn)(void *arg), void *arg);

#endif
