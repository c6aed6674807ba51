/* Test support for memory/: a failing allocator and a simulated cluster;
 * see memory/mem_testenv.h. */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "memory/mem_testenv.h"

u64 mem_test_alloc_count;
u64 mem_test_alloc_fail_at;
s64 mem_test_alloc_live;

static bool mem_test_should_fail(void)
{
	mem_test_alloc_count++;
	return mem_test_alloc_fail_at &&
	       mem_test_alloc_count >= mem_test_alloc_fail_at;
}

static void *mem_test_obj_alloc(size_t size)
{
	void *p = mem_test_should_fail() ? NULL : mem_kalloc.alloc(size);

	mem_test_alloc_live += p != NULL;
	return p;
}

static void mem_test_obj_free(void *p)
{
	mem_test_alloc_live -= p != NULL;
	mem_kalloc.free(p);
}

static void *mem_test_page_alloc(void)
{
	void *p = mem_test_should_fail() ? NULL : mem_kalloc.page_alloc();

	mem_test_alloc_live += p != NULL;
	return p;
}

static void mem_test_page_free(void *p)
{
	mem_test_alloc_live--;
	mem_kalloc.page_free(p);
}

const struct mem_alloc mem_test_alloc = {
	.alloc = mem_test_obj_alloc,
	.free = mem_test_obj_free,
	.page_alloc = mem_test_page_alloc,
	.page_free = mem_test_page_free,
};

struct mem_node *mem_sim_node(struct mem_sim *s, u32 id)
{
	return id >= 10 && id < 10 + s->nnodes ? &s->node[id - 10] : NULL;
}

static int mem_sim_vregion_alloc(void *ctx, u32 pid, u64 idx, u32 *owner)
{
	struct mem_sim *s = ctx;

	if (s->alloc_err)
		return s->alloc_err;
	*owner = 10 + s->next_owner++ % s->nnodes;
	s->allocs++;
	return 0;
}

static void mem_sim_vregion_free(void *ctx, u32 pid, u64 idx, u32 owner)
{
	struct mem_sim *s = ctx;

	s->frees++;
}

static int mem_sim_forward(void *ctx, u32 node, u16 op, const void *body,
			   u32 len, const void *page_in, void *reply,
			   u32 reply_len, void *page_out)
{
	struct mem_node *to = mem_sim_node(ctx, node);
	u32 got;

	if (!to)
		return -EHOSTUNREACH;
	return mem_dispatch(to, op, body, len, page_in, reply, reply_len, &got,
			    page_out);
}

void mem_sim_file_page(const struct mem_file_handle *f, u64 off, void *page)
{
	u64 *w = page;

	for (u32 i = 0; i < 512; i++)
		w[i] = f->ino * 0x100000001ull ^ (off + i * 8) ^ f->gen;
}

static int mem_sim_file_read(void *ctx, const struct mem_file_handle *f,
			     u64 off, void *page)
{
	struct mem_sim *s = ctx;

	if (f->ino == 0)
		return -EIO;
	mem_sim_file_page(f, off, page);
	s->file_reads++;
	return 0;
}

static const struct mem_ops mem_sim_ops = {
	.vregion_alloc = mem_sim_vregion_alloc,
	.vregion_free = mem_sim_vregion_free,
	.forward = mem_sim_forward,
	.file_read = mem_sim_file_read,
};

int mem_sim_init(struct mem_sim *s, u32 nnodes, u32 vregion_shift)
{
	memset(s, 0, sizeof(*s));
	s->nnodes = nnodes;
	for (u32 i = 0; i < nnodes; i++) {
		int err = mem_node_init(&s->node[i], 10 + i, vregion_shift,
					&mem_sim_ops, s, &mem_test_alloc);

		if (err)
			return err;
	}
	return 0;
}

void mem_sim_destroy(struct mem_sim *s)
{
	for (u32 i = 0; i < s->nnodes; i++)
		mem_node_destroy(&s->node[i]);
}
