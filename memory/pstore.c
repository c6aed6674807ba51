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

/* p leaves the store (lock held): if others still share its page, it
 * lets go of the page and the count, which stay theirs. */
static void pstore_unshare_locked(struct pstore_page *p)
{
	if (p->share && --*p->share) {
		p->data = NULL;
		p->share = NULL;
	}
}

/* Free an entry that left the store, with what it alone still holds. */
static void pstore_entry_free(struct pstore *ps, struct pstore_page *p)
{
	if (p->data)
		ps->alloc->page_free(p->data);
	ps->alloc->free(p->share);
	ps->alloc->free(p);
}

void pstore_destroy(struct pstore *ps)
{
	for (u32 b = 0; b < ps->nbuckets; b++) {
		while (ps->buckets[b]) {
			struct pstore_page *p = ps->buckets[b];

			ps->buckets[b] = p->next;
			pstore_unshare_locked(p);
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

/* Write in over the page of entry p (lock held). A page another entry
 * shares needs spare, a page of p's own (it is used and *spare cleared),
 * else false is returned and nothing is written. A share count left at 1
 * stays with its last entry until that is freed. */
static bool pstore_overwrite_locked(struct pstore *ps, struct pstore_page *p,
				    const void *in, void **spare)
{
	if (p->share && *p->share > 1) {
		if (!*spare)
			return false;
		--*p->share;
		p->share = NULL;
		p->data = *spare;
		*spare = NULL;
		ps->st.cow++;
	}
	memcpy(p->data, in, 4096);
	ps->st.writes++;
	return true;
}

/* Write an existing entry: 1 if written, 0 if there is none, -ENOMEM. */
static int pstore_write_existing(struct pstore *ps, u32 pid, u64 vpage, const void *in)
{
	void *spare = NULL;
	struct pstore_page *p;
	int done;

	for (;;) {
		spin_lock(&ps->lock);
		p = pstore_lookup(ps, pid, vpage);
		done = !p ? 0 : pstore_overwrite_locked(ps, p, in, &spare) ? 1 : -1;
		spin_unlock(&ps->lock);
		if (done >= 0)
			break;
		spare = ps->alloc->page_alloc(); /* outside the lock; then retry */
		if (!spare)
			return -ENOMEM;
	}
	if (spare)
		ps->alloc->page_free(spare);
	return done;
}

int pstore_write(struct pstore *ps, u32 pid, u64 vaddr, const void *in)
{
	u64 vpage = vaddr >> 12;
	struct pstore_page *np;
	int done = pstore_write_existing(ps, pid, vpage, in);
	u32 h;

	if (done)
		return done < 0 ? done : 0;
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
			pstore_unshare_locked(p);
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

/* Calls fn(p, arg) for every entry of pid in [start, end); lock held. */
static void pstore_each_locked(struct pstore *ps, u32 pid, u64 start, u64 end,
			       void (*fn)(struct pstore *ps, struct pstore_page *p, void *arg),
			       void *arg)
{
	u64 first = start >> 12, last = (end >> 12) - 1;

	for (u32 b = 0; b < ps->nbuckets; b++)
		for (struct pstore_page *p = ps->buckets[b]; p; p = p->next)
			if (p->pid == pid && p->vpage >= first && p->vpage <= last)
				fn(ps, p, arg);
}

static void pstore_count_one(struct pstore *ps, struct pstore_page *p, void *arg)
{
	++*(u64 *)arg;
}

/* What pstore_fork hands out: entries and share counts made beforehand. */
struct pstore_spares {
	struct pstore_page *entries; /* chained through next */
	u32 **counts;
	u64 ncounts;
	u32 child;
};

static void pstore_fork_one(struct pstore *ps, struct pstore_page *p, void *arg)
{
	struct pstore_spares *sp = arg;
	struct pstore_page *e = sp->entries;
	u32 h = pstore_hash(ps, sp->child, p->vpage);

	sp->entries = e->next;
	if (!p->share) {
		p->share = sp->counts[--sp->ncounts];
		*p->share = 1;
	}
	++*p->share;
	*e = (struct pstore_page){ .next = ps->buckets[h], .vpage = p->vpage,
				   .pid = sp->child, .data = p->data, .share = p->share };
	ps->buckets[h] = e;
}

static void pstore_spares_free(struct pstore *ps, struct pstore_spares *sp)
{
	while (sp->entries) {
		struct pstore_page *e = sp->entries;

		sp->entries = e->next;
		ps->alloc->free(e);
	}
	while (sp->ncounts)
		ps->alloc->free(sp->counts[--sp->ncounts]);
	ps->alloc->free(sp->counts);
}

/* Entries and share counts for n pages; 0 or -ENOMEM. */
static int pstore_spares_make(struct pstore *ps, u64 n, struct pstore_spares *sp)
{
	sp->counts = ps->alloc->alloc(n * sizeof(*sp->counts));
	if (!sp->counts)
		return -ENOMEM;
	for (u64 i = 0; i < n; i++) {
		struct pstore_page *e = ps->alloc->alloc(sizeof(*e));
		u32 *c = ps->alloc->alloc(sizeof(*c));

		if (e) {
			e->next = sp->entries;
			sp->entries = e;
		}
		if (c)
			sp->counts[sp->ncounts++] = c;
		if (!e || !c)
			return -ENOMEM;
	}
	return 0;
}

int pstore_fork(struct pstore *ps, u32 pid, u32 child, u64 start, u64 end)
{
	struct pstore_spares sp = { .child = child };
	u64 n = 0;
	int err;

	if (end <= start)
		return 0;
	spin_lock(&ps->lock);
	pstore_each_locked(ps, pid, start, end, pstore_count_one, &n);
	spin_unlock(&ps->lock);
	if (!n)
		return 0;
	err = pstore_spares_make(ps, n, &sp);
	if (!err) {
		spin_lock(&ps->lock);
		pstore_each_locked(ps, pid, start, end, pstore_fork_one, &sp);
		ps->st.pages += n;
		ps->st.forked += n;
		spin_unlock(&ps->lock);
	}
	pstore_spares_free(ps, &sp);
	if (!err)
		pstore_maybe_grow(ps);
	return err;
}

void pstore_get_stats(struct pstore *ps, struct pstore_stats *st)
{
	spin_lock(&ps->lock);
	*st = ps->st;
	spin_unlock(&ps->lock);
}

/* Put vpage in the ascending out[0..*n) of at most max entries. */
static void pstore_keep_least(u64 *out, u32 *n, u32 max, u64 vpage)
{
	u32 i = *n;

	if (i == max && vpage >= out[max - 1])
		return;
	if (i < max)
		(*n)++;
	else
		i--;
	for (; i && out[i - 1] > vpage; i--)
		out[i] = out[i - 1];
	out[i] = vpage;
}

u32 pstore_next(struct pstore *ps, u32 pid, u64 vaddr, u64 *out, u32 max)
{
	u64 first = vaddr >> 12;
	u32 n = 0;

	if (!max)
		return 0;
	spin_lock(&ps->lock);
	for (u32 b = 0; b < ps->nbuckets; b++)
		for (struct pstore_page *p = ps->buckets[b]; p; p = p->next)
			if (p->pid == pid && p->vpage >= first)
				pstore_keep_least(out, &n, max, p->vpage);
	spin_unlock(&ps->lock);
	for (u32 i = 0; i < n; i++)
		out[i] <<= 12;
	return n;
}

bool pstore_has(struct pstore *ps, u32 pid, u64 vaddr)
{
	bool has;

	spin_lock(&ps->lock);
	has = pstore_lookup(ps, pid, vaddr >> 12) != NULL;
	spin_unlock(&ps->lock);
	return has;
}
