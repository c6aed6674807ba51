/* The owner's page store; see memory/pstore.h for the structure and the
 * locking. */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "memory/pstore.h"

#define PSTORE_INIT_LOG2 10

static u32 pstore_hash(const struct pstore *ps, u32 pid, u64 vpage)
{
	u64 h = vpage * 0x9e3779b97f4a7c15ull ^ (u64)pid * 0xc2b2ae3d27d4eb4full;

	return (u32)(h >> ps->shift);
}

int pstore_init(struct pstore *ps, const struct mem_alloc *a)
{
	spin_init(&ps->lock, "pstore", LOCK_RANK_PSTORE);
	memset(&ps->st, 0, sizeof(ps->st));
	ps->alloc = a;
	ps->nbuckets = 1u << PSTORE_INIT_LOG2;
	ps->shift = 64 - PSTORE_INIT_LOG2;
	ps->buckets = a->alloc(ps->nbuckets * sizeof(*ps->buckets));
	return ps->buckets ? 0 : -ENOMEM;
}

static void pstore_entry_free(struct pstore *ps, struct pstore_page *p)
{
	ps->alloc->page_free(p->data);
	ps->alloc->free(p);
}

void pstore_destroy(struct pstore *ps)
{
	for (u32 b = 0; b < ps->nbuckets; b++) {
		while (ps->buckets[b]) {
			struct pstore_page *p = ps->buckets[b];

			ps->buckets[b] = p->next;
			pstore_entry_free(ps, p);
		}
	}
	ps->alloc->free(ps->buckets);
	ps->buckets = NULL;
}

/* The entry of (pid, vpage) or NULL; ps->lock held. */
static struct pstore_page *pstore_lookup(struct pstore *ps, u32 pid, u64 vpage)
{
	struct pstore_page *p = ps->buckets[pstore_hash(ps, pid, vpage)];

	while (p && (p->pid != pid || p->vpage != vpage))
		p = p->next;
	return p;
}

int pstore_read(struct pstore *ps, u32 pid, u64 vaddr, void *out)
{
	struct pstore_page *p;

	spin_lock(&ps->lock);
	p = pstore_lookup(ps, pid, vaddr >> 12);
	if (p) {
		memcpy(out, p->data, 4096);
		ps->st.reads++;
	}
	spin_unlock(&ps->lock);
	return p ? 0 : -ENOENT;
}

/* Double the table if it is crowded; allocation failure only means the
 * chains stay longer. Called with no lock held. */
static void pstore_maybe_grow(struct pstore *ps)
{
	struct pstore_page **nb, **old;
	u32 n = ps->nbuckets * 2, oldn;

	if (ps->st.pages < 2ull * ps->nbuckets)
		return;
	nb = ps->alloc->alloc(n * sizeof(*nb));
	if (!nb)
		return;
	spin_lock(&ps->lock);
	if (ps->nbuckets * 2 != n) { /* another worker grew it */
		spin_unlock(&ps->lock);
		ps->alloc->free(nb);
		return;
	}
	old = ps->buckets;
	oldn = ps->nbuckets;
	ps->buckets = nb;
	ps->nbuckets = n;
	ps->shift--;
	for (u32 b = 0; b < oldn; b++) {
		while (old[b]) {
			struct pstore_page *p = old[b];
			u32 h = pstore_hash(ps, p->pid, p->vpage);

			old[b] = p->next;
			p->next = nb[h];
			nb[h] = p;
		}
	}
	spin_unlock(&ps->lock);
	ps->alloc->free(old);
}

/* A new entry for (pid, vpage) holding in; NULL when out of memory. */
static struct pstore_page *pstore_entry_new(struct pstore *ps, u32 pid,
					    u64 vpage, const void *in)
{
	struct pstore_page *p = ps->alloc->alloc(sizeof(*p));

	if (!p)
		return NULL;
	p->data = ps->alloc->page_alloc();
	if (!p->data) {
		ps->alloc->free(p);
		return NULL;
	}
	p->pid = pid;
	p->vpage = vpage;
	memcpy(p->data, in, 4096);
	return p;
}

int pstore_write(struct pstore *ps, u32 pid, u64 vaddr, const void *in)
{
	u64 vpage = vaddr >> 12;
	struct pstore_page *p, *np;
	u32 h;

	spin_lock(&ps->lock);
	p = pstore_lookup(ps, pid, vpage);
	if (p) {
		memcpy(p->data, in, 4096);
		ps->st.writes++;
	}
	spin_unlock(&ps->lock);
	if (p)
		return 0;
	np = pstore_entry_new(ps, pid, vpage, in);
	if (!np)
		return -ENOMEM;
	spin_lock(&ps->lock);
	h = pstore_hash(ps, pid, vpage);
	np->next = ps->buckets[h];
	ps->buckets[h] = np;
	ps->st.pages++;
	ps->st.allocated++;
	ps->st.writes++;
	spin_unlock(&ps->lock);
	pstore_maybe_grow(ps);
	return 0;
}

/* Unlink pid's pages in [start, end) from chain *pp onto *dead. */
static u64 pstore_unlink_chain(struct pstore_page **pp, u32 pid, u64 first,
			       u64 last, struct pstore_page **dead)
{
	u64 n = 0;

	while (*pp) {
		struct pstore_page *p = *pp;

		if (p->pid == pid && p->vpage >= first && p->vpage <= last) {
			*pp = p->next;
			p->next = *dead;
			*dead = p;
			n++;
		} else {
			pp = &p->next;
		}
	}
	return n;
}

u64 pstore_free_range(struct pstore *ps, u32 pid, u64 start, u64 end)
{
	u64 first = start >> 12, last = (end >> 12) - 1, n = 0;
	struct pstore_page *dead = NULL;

	if (end <= start)
		return 0;
	spin_lock(&ps->lock);
	if (last - first >= ps->nbuckets) {
		for (u32 b = 0; b < ps->nbuckets; b++)
			n += pstore_unlink_chain(&ps->buckets[b], pid, first,
						 last, &dead);
	} else {
		for (u64 vp = first; vp <= last; vp++)
			n += pstore_unlink_chain(
				&ps->buckets[pstore_hash(ps, pid, vp)], pid,
				vp, vp, &dead);
	}
	ps->st.pages -= n;
	ps->st.freed += n;
	spin_unlock(&ps->lock);
	while (dead) {
		struct pstore_page *p = dead;

		dead = p->next;
		pstore_entry_free(ps, p);
	}
	return n;
}

void pstore_get_stats(struct pstore *ps, struct pstore_stats *st)
{
	spin_lock(&ps->lock);
	*st = ps->st;
	spin_unlock(&ps->lock);
}
