/*
 * kmalloc: size-class slabs for small objects, page blocks for the rest.
 *
 * Every block starts with a struct kmem_hdr at its page boundary, so kfree
 * finds the header by rounding the pointer down to the page. A slab page
 * holds one size class; its free objects form a singly linked list.
 * kmem_lock guards all slab lists, headers and counters.
 */
#include <tessera/kmalloc.h>
#include <tessera/list.h>
#include <tessera/lock.h>
#include <tessera/printk.h>
#include <tessera/string.h>

#define KMEM_PAGE 4096ul
#define KMEM_MAGIC_SLAB 0x51AB51ABu
#define KMEM_MAGIC_LARGE 0x1A46E000u
#define KMEM_CLASSES 8 /* 16 << 0 .. 16 << 7 = 2048 */

struct kmem_hdr {
	u32 magic;
	u16 class_or_order;
	u16 nfree;
	struct list_node link; /* partial list of its class (slabs) */
	void *free;            /* first free object (slabs) */
	u64 pad;
};
_Static_assert(sizeof(struct kmem_hdr) == 40, "kmem header size");

#define KMEM_HDR_SPACE 64 /* header rounded so objects stay 16-aligned */

static struct spinlock kmem_lock = SPINLOCK_INIT("kmalloc", LOCK_RANK_KMALLOC);
static struct list_node partial[KMEM_CLASSES] = {
	LIST_INIT(partial[0]), LIST_INIT(partial[1]), LIST_INIT(partial[2]),
	LIST_INIT(partial[3]), LIST_INIT(partial[4]), LIST_INIT(partial[5]),
	LIST_INIT(partial[6]), LIST_INIT(partial[7]),
};
static struct kmalloc_stats stats;

static size_t kmem_class_size(unsigned c)
{
	return 16ul << c;
}

static unsigned kmem_class_of(size_t size)
{
	unsigned c = 0;

	while (kmem_class_size(c) < size)
		c++;
	return c;
}

/* A new slab for class c with every object on its free list. Lock held. */
static struct kmem_hdr *kmem_new_slab(unsigned c)
{
	struct kmem_hdr *h = kmem_pages_alloc(0);
	size_t sz = kmem_class_size(c);
	char *obj;

	if (!h)
		return NULL;
	h->magic = KMEM_MAGIC_SLAB;
	h->class_or_order = c;
	h->nfree = 0;
	h->free = NULL;
	for (obj = (char *)h + KMEM_PAGE - sz; obj >= (char *)h + KMEM_HDR_SPACE;
	     obj -= sz) {
		*(void **)obj = h->free;
		h->free = obj;
		h->nfree++;
	}
	list_add_head(&partial[c], &h->link);
	stats.slabs++;
	return h;
}

static void *kmem_small(unsigned c)
{
	struct kmem_hdr *h;
	void *obj;

	spin_lock(&kmem_lock);
	if (list_empty(&partial[c]) && !kmem_new_slab(c)) {
		spin_unlock(&kmem_lock);
		return NULL;
	}
	h = list_entry(partial[c].next, struct kmem_hdr, link);
	obj = h->free;
	h->free = *(void **)obj;
	if (--h->nfree == 0)
		list_del(&h->link);
	stats.objects++;
	spin_unlock(&kmem_lock);
	return obj;
}

static void *kmem_large(size_t size)
{
	unsigned order = 0;
	struct kmem_hdr *h;

	while ((KMEM_PAGE << order) < size + KMEM_HDR_SPACE)
		order++;
	h = kmem_pages_alloc(order);
	if (!h)
		return NULL;
	h->magic = KMEM_MAGIC_LARGE;
	h->class_or_order = order;
	spin_lock(&kmem_lock);
	stats.large++;
	spin_unlock(&kmem_lock);
	return (char *)h + KMEM_HDR_SPACE;
}

void *kmalloc(size_t size)
{
	if (size == 0)
		size = 1;
	if (size <= kmem_class_size(KMEM_CLASSES - 1))
		return kmem_small(kmem_class_of(size));
	if (size > (1ul << 30))
		return NULL;
	return kmem_large(size);
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

static void kmem_free_small(struct kmem_hdr *h, void *p)
{
	unsigned c = h->class_or_order;
	size_t per_slab = (KMEM_PAGE - KMEM_HDR_SPACE) / kmem_class_size(c);

	BUG_ON(((char *)p - (char *)h) % kmem_class_size(c) != 0);
	spin_lock(&kmem_lock);
	*(void **)p = h->free;
	h->free = p;
	if (h->nfree++ == 0)
		list_add_head(&partial[c], &h->link);
	stats.objects--;
	if (h->nfree == per_slab && partial[c].next != partial[c].prev) {
		list_del(&h->link); /* keep one empty slab per class cached */
		h->magic = 0;
		stats.slabs--;
		spin_unlock(&kmem_lock);
		kmem_pages_free(h, 0);
		return;
	}
	spin_unlock(&kmem_lock);
}

void kfree(void *p)
{
	struct kmem_hdr *h;

	if (!p)
		return;
	h = (struct kmem_hdr *)((unsigned long)p & ~(KMEM_PAGE - 1));
	if (h->magic == KMEM_MAGIC_SLAB) {
		kmem_free_small(h, p);
		return;
	}
	BUG_ON(h->magic != KMEM_MAGIC_LARGE || (char *)p != (char *)h + KMEM_HDR_SPACE);
	h->magic = 0;
	spin_lock(&kmem_lock);
	stats.large--;
	spin_unlock(&kmem_lock);
	kmem_pages_free(h, h->class_or_order);
}

void kmalloc_get_stats(struct kmalloc_stats *st)
{
	spin_lock(&kmem_lock);
	*st = stats;
	spin_unlock(&kmem_lock);
}
