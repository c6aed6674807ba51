/* The simulated link of host tests (see simlink.h). Single-threaded. */
#include <stdlib.h>
#include <string.h>

#include "net/plat/plat_sim.h"
#include "net/plat/simlink.h"

#define SIM_MAX_PORTS 8
#define SIM_TICK_NS 100000ull

struct simport {
	struct simlink *link;
	struct net_if *nif; /* NULL: detached */
	u64 stall_until; /* runs nothing before (simport_stall) */
};

struct simframe {
	u64 at, seq;
	struct simport *from;
	struct simport *to; /* NULL: every port but from */
	size_t len;
	u8 *data;
};

struct simlink {
	struct simport ports[SIM_MAX_PORTS];
	u32 nports;
	struct simlink_faults f;
	struct simframe *heap; /* min-heap by (at, seq) */
	size_t n, cap;
	u64 now, seq, next_tick;
	struct simlink_counts c;
};

struct simlink *simlink_new(u64 seed)
{
	struct simlink *l = calloc(1, sizeof(*l));

	plat_sim_seed(seed);
	plat_sim_set_time(0);
	l->f.delay_ns = 5000;
	l->f.reorder_ns = 50000;
	return l;
}

void simlink_free(struct simlink *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->heap[i].data);
	free(l->heap);
	free(l);
}

void simlink_set_faults(struct simlink *l, const struct simlink_faults *f)
{
	l->f = *f;
}

struct simport *simlink_port(struct simlink *l)
{
	struct simport *p = &l->ports[l->nports++];

	p->link = l;
	return p;
}

void simport_attach(struct simport *p, struct net_if *nif)
{
	p->nif = nif;
}

void simport_detach(struct simport *p)
{
	p->nif = NULL;
}

void simport_stall(struct simport *p, u64 until_ns)
{
	p->stall_until = until_ns;
}

bool simport_stalled(const struct simport *p)
{
	return p->link->now < p->stall_until;
}

static bool before(const struct simframe *a, const struct simframe *b)
{
	return a->at < b->at || (a->at == b->at && a->seq < b->seq);
}

static void heap_swap(struct simlink *l, size_t i, size_t j)
{
	struct simframe t = l->heap[i];

	l->heap[i] = l->heap[j];
	l->heap[j] = t;
}

static void heap_push(struct simlink *l, struct simframe fr)
{
	size_t i;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->heap = realloc(l->heap, l->cap * sizeof(*l->heap));
	}
	i = l->n++;
	l->heap[i] = fr;
	while (i && before(&l->heap[i], &l->heap[(i - 1) / 2])) {
		heap_swap(l, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static struct simframe heap_pop(struct simlink *l)
{
	struct simframe top = l->heap[0];
	size_t i = 0;

	l->heap[0] = l->heap[--l->n];
	for (;;) {
		size_t m = i, a = 2 * i + 1, b = a + 1;

		if (a < l->n && before(&l->heap[a], &l->heap[m]))
			m = a;
		if (b < l->n && before(&l->heap[b], &l->heap[m]))
			m = b;
		if (m == i)
			return top;
		heap_swap(l, i, m);
		i = m;
	}
}

static bool chance(u32 ppm)
{
	return ppm && plat_sim_rand_below(1000000) < ppm;
}

static void enqueue(struct simlink *l, struct simport *from, const void *d,
		    size_t len)
{
	struct simframe fr = { .at = l->now + l->f.delay_ns, .seq = l->seq++,
			       .from = from, .len = len,
			       .data = malloc(len) };

	memcpy(fr.data, d, len);
	if (chance(l->f.reorder_ppm)) {
		fr.at += 1 + plat_sim_rand_below((u32)l->f.reorder_ns);
		l->c.reordered++;
	}
	if (chance(l->f.corrupt_ppm)) {
		fr.data[plat_sim_rand_below((u32)len)] ^=
			(u8)(1 + plat_sim_rand_below(255));
		l->c.corrupted++;
	}
	heap_push(l, fr);
}

int simlink_xmit(void *port, const void *frame, size_t len)
{
	struct simport *p = port;
	struct simlink *l = p->link;

	l->c.frames++;
	if (chance(l->f.loss_ppm)) {
		l->c.lost++;
		return 0;
	}
	enqueue(l, p, frame, len);
	if (chance(l->f.dup_ppm)) {
		l->c.duplicated++;
		enqueue(l, p, frame, len);
	}
	return 0;
}

/* A copy of fr for a stalled port p, delivered when p wakes (after
 * anything already held for it: seq keeps them in order). */
static void hold(struct simlink *l, struct simframe *fr, struct simport *p)
{
	struct simframe c = { .at = p->stall_until, .seq = l->seq++,
			      .from = fr->from, .to = p, .len = fr->len,
			      .data = malloc(fr->len) };

	memcpy(c.data, fr->data, fr->len);
	heap_push(l, c);
}

static void deliver(struct simlink *l, struct simframe *fr)
{
	for (u32 i = 0; i < l->nports; i++) {
		struct simport *p = &l->ports[i];

		if (p == fr->from || !p->nif || (fr->to && p != fr->to))
			continue;
		if (simport_stalled(p))
			hold(l, fr, p);
		else
			net_input(p->nif, fr->data, fr->len);
	}
	free(fr->data);
}

static void tick(struct simlink *l)
{
	for (u32 i = 0; i < l->nports; i++)
		if (l->ports[i].nif && !simport_stalled(&l->ports[i]))
			net_tick(l->ports[i].nif);
	l->next_tick = l->now + SIM_TICK_NS;
}

bool simlink_run(struct simlink *l, u64 until_ns, bool (*done)(void *arg),
		 void *arg)
{
	while (!done(arg)) {
		u64 next = l->next_tick;
		struct simframe fr;

		if (l->n && l->heap[0].at < next)
			next = l->heap[0].at;
		if (next > until_ns)
			return false;
		l->now = next > l->now ? next : l->now;
		plat_sim_set_time(l->now);
		if (l->n && l->heap[0].at <= l->now) {
			fr = heap_pop(l);
			deliver(l, &fr);
		} else {
			tick(l);
		}
	}
	return true;
}

u64 simlink_now(struct simlink *l)
{
	return l->now;
}

void simlink_counts(struct simlink *l, struct simlink_counts *out)
{
	*out = l->c;
}
