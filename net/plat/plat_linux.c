/*
 * netplat for Linux user space: CLOCK_MONOTONIC, calloc, pthreads,
 * getrandom. Frames go out through a transmit hook set by the program
 * (the fabric attach library, or a test), so this file needs no
 * knowledge of the fabric.
 */
#define _GNU_SOURCE /* pthread_setname_np */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>

#include <tessera/net/plat.h>

#include "net/plat/plat_linux.h"

static plat_linux_xmit_fn xmit_hook;

void plat_linux_set_xmit(plat_linux_xmit_fn fn)
{
	xmit_hook = fn;
}

u64 netplat_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
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
	u32 v = 0;

	while (getrandom(&v, sizeof(v), 0) != sizeof(v))
		;
	return v;
}

int netplat_xmit(void *port, const void *frame, size_t len)
{
	return xmit_hook ? xmit_hook(port, frame, len) : -ENETDOWN;
}

struct netplat_lock {
	pthread_mutex_t m;
};

struct netplat_cond {
	pthread_cond_t c;
};

struct netplat_lock *netplat_lock_new(const char *name, u32 rank)
{
	struct netplat_lock *l = calloc(1, sizeof(*l));

	if (l)
		pthread_mutex_init(&l->m, NULL);
	return l;
}

void netplat_lock_free(struct netplat_lock *l)
{
	pthread_mutex_destroy(&l->m);
	free(l);
}

void netplat_lock(struct netplat_lock *l)
{
	pthread_mutex_lock(&l->m);
}

void netplat_unlock(struct netplat_lock *l)
{
	pthread_mutex_unlock(&l->m);
}

struct netplat_cond *netplat_cond_new(void)
{
	struct netplat_cond *c = calloc(1, sizeof(*c));
	pthread_condattr_t a;

	if (!c)
		return NULL;
	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&c->c, &a);
	pthread_condattr_destroy(&a);
	return c;
}

void netplat_cond_free(struct netplat_cond *c)
{
	pthread_cond_destroy(&c->c);
	free(c);
}

int netplat_cond_wait(struct netplat_cond *c, struct netplat_lock *l,
		      u64 deadline_ns)
{
	struct timespec ts = { (time_t)(deadline_ns / 1000000000ull),
			       (long)(deadline_ns % 1000000000ull) };

	return pthread_cond_timedwait(&c->c, &l->m, &ts) == ETIMEDOUT ?
		       -ETIMEDOUT : 0;
}

void netplat_cond_broadcast(struct netplat_cond *c)
{
	pthread_cond_broadcast(&c->c);
}

struct thread_start {
	void (*fn)(void *arg);
	void *arg;
};

static void *thread_main(void *p)
{
	struct thread_start s = *(struct thread_start *)p;

	free(p);
	s.fn(s.arg);
	return NULL;
}

int netplat_thread_start(const char *name, void (*fn)(void *arg), void *arg)
{
	struct thread_start *s = malloc(sizeof(*s));
	pthread_t th;
	int err;

	if (!s)
		return -ENOMEM;
	*s = (struct thread_start){ fn, arg };
	err = pthread_create(&th, NULL, thread_main, s);
	if (err) {
		free(s);
		return -err;
	}
	pthread_setname_np(th, name);
	pthread_detach(th);
	return 0;
}
