/* Sets of written-back lines (wb_set.h): a chained hash on the page number. */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>

#include "processor/proc/wb_set.h"

struct pwset_node {
	struct pwset_node *next;
	u64 vaddr;
};

static u32 pwset_hash(u64 vaddr)
{
	return (u32)((vaddr >> 12) % PWSET_BUCKETS);
}

void pwset_init(struct pwset *w)
{
	spin_init(&w->lock, "wb_set", LOCK_RANK_WB_SET);
	for (u32 i = 0; i < PWSET_BUCKETS; i++)
		w->bucket[i] = NULL;
	w->count = 0;
}

static struct pwset_node **pwset_slot(struct pwset *w, u64 vaddr)
{
	struct pwset_node **pp = &w->bucket[pwset_hash(vaddr)];

	while (*pp && (*pp)->vaddr != vaddr)
		pp = &(*pp)->next;
	return pp;
}

int pwset_add(struct pwset *w, u64 vaddr)
{
	struct pwset_node *n = kmalloc(sizeof(*n));
	struct pwset_node **pp;

	if (!n)
		return -ENOMEM;
	spin_lock(&w->lock);
	pp = pwset_slot(w, vaddr);
	if (!*pp) {
		n->vaddr = vaddr;
		n->next = NULL;
		*pp = n;
		w->count++;
		n = NULL;
	}
	spin_unlock(&w->lock);
	kfree(n);
	return 0;
}

bool pwset_has(struct pwset *w, u64 vaddr)
{
	bool has;

	spin_lock(&w->lock);
	has = *pwset_slot(w, vaddr) != NULL;
	spin_unlock(&w->lock);
	return has;
}

/* Unlink every node of bucket b in [start, end); returns them chained. */
static struct pwset_node *pwset_unlink(struct pwset *w, u32 b, u64 start, u64 end)
{
	struct pwset_node **pp = &w->bucket[b], *gone = NULL;

	while (*pp) {
		struct pwset_node *n = *pp;

		if (n->vaddr >= start && n->vaddr < end) {
			*pp = n->next;
			n->next = gone;
			gone = n;
			w->count--;
		} else {
			pp = &n->next;
		}
	}
	return gone;
}

void pwset_remove_range(struct pwset *w, u64 start, u64 end)
{
	for (u32 b = 0; b < PWSET_BUCKETS; b++) {
		struct pwset_node *gone;

		spin_lock(&w->lock);
		gone = pwset_unlink(w, b, start, end);
		spin_unlock(&w->lock);
		while (gone) {
			struct pwset_node *next = gone->next;

			kfree(gone);
			gone = next;
		}
	}
}

void pwset_clear(struct pwset *w)
{
	pwset_remove_range(w, 0, ~0ull);
}

int pwset_copy(struct pwset *dst, struct pwset *src)
{
	int err = 0;

	spin_lock(&src->lock);
	for (u32 b = 0; b < PWSET_BUCKETS && !err; b++)
		for (struct pwset_node *n = src->bucket[b]; n && !err; n = n->next) {
			struct pwset_node *c = kmalloc(sizeof(*c));

			if (!c) {
				err = -ENOMEM;
				break;
			}
			c->vaddr = n->vaddr;
			c->next = dst->bucket[b];
			dst->bucket[b] = c;
			dst->count++;
		}
	spin_unlock(&src->lock);
	return err;
}
