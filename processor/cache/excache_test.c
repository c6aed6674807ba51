/*
 * ExCache policy and bookkeeping against a simulated machine: fake page
 * tables (present/dirty/accessed per frame) and a fake remote memory, with
 * an access function that does what the pMonitor's fault path does.
 * Runs on the host and in the processor image.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/ktest.h>
#include <tessera/string.h>

#include "processor/cache/excache.h"

#define SIM_FRAMES 64
#define SIM_WAYS 4
#define SIM_REMOTE 1024 /* remote lines the simulation can hold */

struct sim {
	struct excache c;
	u8 meta[4096];
	u8 frames[SIM_FRAMES][EXCACHE_LINE];
	bool present[SIM_FRAMES], dirty[SIM_FRAMES], accessed[SIM_FRAMES];
	bool writable[SIM_FRAMES];
	u64 remote_key[SIM_REMOTE];
	u8 *remote_data[SIM_REMOTE];
	int nremote;
	bool fail_writeback;
	u32 unprotected_writebacks; /* write-backs of a still-writable frame */
	/* A user write that lands while a write-back sleeps (race test). */
	bool race_armed, race_faulted;
	u64 race_space, race_addr;
	u8 race_val;
};

static struct sim *sim_of(struct excache *c)
{
	return c->priv;
}

static bool sim_dirty(struct excache *c, const struct excache_line *l)
{
	return sim_of(c)->dirty[l->frame];
}

static bool sim_accessed(struct excache *c, const struct excache_line *l)
{
	bool a = sim_of(c)->accessed[l->frame];

	sim_of(c)->accessed[l->frame] = false;
	return a;
}

static bool sim_protect(struct excache *c, const struct excache_line *l, u32 *saved)
{
	struct sim *s = sim_of(c);
	bool d = s->dirty[l->frame];

	*saved = s->writable[l->frame] | (u32)d << 1;
	s->writable[l->frame] = false;
	s->dirty[l->frame] = false;
	return d;
}

static void sim_restore(struct excache *c, const struct excache_line *l, u32 saved)
{
	sim_of(c)->writable[l->frame] = saved & 1;
	sim_of(c)->dirty[l->frame] = saved & 2;
}

static void sim_reopen(struct excache *c, const struct excache_line *l, u32 saved)
{
	sim_of(c)->writable[l->frame] = saved & 1;
	sim_of(c)->dirty[l->frame] = false;
}

static int sim_lookup(struct sim *s, u64 space, u64 vaddr);
static void sim_race_write(struct sim *s);

/* A race still armed here lands between protect and unmap (a carried
 * victim has no write-back to sleep in). */
static void sim_unmap(struct excache *c, const struct excache_line *l)
{
	if (sim_of(c)->race_armed)
		sim_race_write(sim_of(c));
	sim_of(c)->present[l->frame] = false;
}

/* The racing user write, made while a write-back sleeps: straight into the
 * frame if the mapping is writable, else a fault that must wait for the
 * set lock (the test replays it through sim_access afterwards). */
static void sim_race_write(struct sim *s)
{
	int f = sim_lookup(s, s->race_space, ALIGN_DOWN(s->race_addr, EXCACHE_LINE));

	s->race_armed = false;
	if (f >= 0 && s->writable[f]) {
		s->frames[f][s->race_addr % EXCACHE_LINE] = s->race_val;
		s->dirty[f] = true;
		return;
	}
	s->race_faulted = true;
}

static u64 sim_key(u64 space, u64 vaddr)
{
	return space << 48 | vaddr;
}

static u8 *sim_remote(struct sim *s, u64 key, bool create)
{
	for (int i = 0; i < s->nremote; i++)
		if (s->remote_key[i] == key)
			return s->remote_data[i];
	if (!create || s->nremote == SIM_REMOTE)
		return NULL;
	s->remote_key[s->nremote] = key;
	s->remote_data[s->nremote] = kmalloc(EXCACHE_LINE);
	return s->remote_data[s->nremote++];
}

static int sim_writeback(struct excache *c, const struct excache_line *l, void *data)
{
	struct sim *s = sim_of(c);
	u8 *r;

	if (s->writable[l->frame])
		s->unprotected_writebacks++;
	if (s->fail_writeback)
		return -EIO;
	r = sim_remote(s, sim_key(l->space, l->vaddr), true);
	if (!r)
		return -ENOMEM;
	memcpy(r, data, EXCACHE_LINE);
	if (s->race_armed) /* after the copy: the reply is on its way */
		sim_race_write(s);
	return 0;
}

static void *sim_frame(struct excache *c, u32 frame)
{
	return sim_of(c)->frames[frame];
}

static const struct excache_hooks sim_hooks = {
	.dirty = sim_dirty,
	.protect = sim_protect,
	.restore = sim_restore,
	.reopen = sim_reopen,
	.test_clear_accessed = sim_accessed,
	.unmap = sim_unmap,
	.writeback = sim_writeback,
	.frame_data = sim_frame,
};

static struct sim *sim_new(const char *policy)
{
	struct sim *s = kzalloc(sizeof(*s));

	if (!s)
		return NULL;
	if (excache_meta_size(SIM_FRAMES, SIM_WAYS) > sizeof(s->meta) ||
	    excache_init(&s->c, SIM_FRAMES, SIM_WAYS, s->meta, excache_policy_find(policy),
			 &sim_hooks)) {
		kfree(s);
		return NULL;
	}
	s->c.priv = s;
	return s;
}

static void sim_free(struct sim *s)
{
	for (int i = 0; i < s->nremote; i++)
		kfree(s->remote_data[i]);
	kfree(s);
}

/* The frame holding (space, vaddr) if mapped ("a TLB/page-table hit"). */
static int sim_lookup(struct sim *s, u64 space, u64 vaddr)
{
	for (u32 i = 0; i < SIM_FRAMES; i++) {
		struct excache_line *l = &s->c.lines[i];

		if (s->present[l->frame] && l->space == space && l->vaddr == vaddr)
			return (int)l->frame;
	}
	return -1;
}

/* One byte access at addr, as the fault path would serve it: a miss, or a
 * write to a write-protected line, goes through excache_get_way. */
static int sim_access(struct sim *s, u64 space, u64 addr, bool write, u8 *val)
{
	u64 vaddr = ALIGN_DOWN(addr, EXCACHE_LINE);
	int f = sim_lookup(s, space, vaddr);
	struct excache_line *l;

	if (f < 0 || (write && !s->writable[f])) {
		int err = excache_get_way(&s->c, space, vaddr, &l, NULL);
		u8 *r;

		if (err < 0)
			return err;
		if (err == 0) {
			r = sim_remote(s, sim_key(space, vaddr), false);
			if (r)
				memcpy(s->frames[l->frame], r, EXCACHE_LINE);
			else
				memset(s->frames[l->frame], 0, EXCACHE_LINE);
			s->present[l->frame] = true;
			s->writable[l->frame] = true;
			s->dirty[l->frame] = false;
			excache_commit(&s->c, l, r == NULL);
		}
		f = (int)l->frame;
	}
	s->accessed[f] = true;
	if (write) {
		s->dirty[f] = true;
		s->frames[f][addr % EXCACHE_LINE] = *val;
	} else {
		*val = s->frames[f][addr % EXCACHE_LINE];
	}
	return 0;
}

KTEST(excache, working_set_4x_round_trips_through_remote)
{
	struct sim *s = sim_new("clock");
	u64 lines = SIM_FRAMES * 4, sum_w = 0, sum_r = 0;
	u8 v;

	KT_ASSERT(t, s != NULL);
	for (u64 i = 0; i < lines; i++) {
		v = (u8)(i * 7 + 3);
		sum_w += v;
		KT_ASSERT(t, sim_access(s, 1, 0x10000000 + i * EXCACHE_LINE + (i % 100), true, &v) == 0);
	}
	for (u64 i = 0; i < lines; i++) {
		KT_ASSERT(t, sim_access(s, 1, 0x10000000 + i * EXCACHE_LINE + (i % 100), false, &v) == 0);
		sum_r += v;
		KT_EXPECT_EQ(t, v, (u8)(i * 7 + 3));
	}
	KT_EXPECT_EQ(t, sum_r, sum_w);
	KT_EXPECT(t, s->c.stats.evictions >= 2 * lines - SIM_FRAMES);
	KT_EXPECT(t, s->c.stats.writebacks >= lines - SIM_FRAMES);
	KT_EXPECT_EQ(t, s->c.stats.zero_fills, lines); /* first pass: all first touch */
	KT_EXPECT_EQ(t, s->c.stats.misses, 2 * lines);
	KT_EXPECT_EQ(t, s->unprotected_writebacks, 0);
	sim_free(s);
}

KTEST(excache, fifo_evicts_in_fill_order)
{
	struct sim *s = sim_new("fifo");
	u64 va[SIM_WAYS + 1];
	u32 set;
	int n = 0;
	u8 v = 1;

	KT_ASSERT(t, s != NULL);
	set = excache_set_of(&s->c, 5, 0);
	/* find SIM_WAYS + 1 pages of space 5 that share set 0's set */
	for (u64 p = 0; n < SIM_WAYS + 1; p++)
		if (excache_set_of(&s->c, 5, p * EXCACHE_LINE) == set)
			va[n++] = p * EXCACHE_LINE;
	for (int i = 0; i < SIM_WAYS; i++)
		KT_ASSERT(t, sim_access(s, 5, va[i], true, &v) == 0);
	sim_access(s, 5, va[0], false, &v); /* FIFO ignores use */
	KT_ASSERT(t, sim_access(s, 5, va[SIM_WAYS], true, &v) == 0);
	KT_EXPECT(t, sim_lookup(s, 5, va[0]) < 0); /* oldest went first */
	for (int i = 1; i <= SIM_WAYS; i++)
		KT_EXPECT(t, sim_lookup(s, 5, va[i]) >= 0);
	sim_free(s);
}

KTEST(excache, clock_keeps_recently_used)
{
	struct sim *s = sim_new("clock");
	u64 va[SIM_WAYS + 1];
	u32 set;
	int n = 0;
	u8 v = 1;

	KT_ASSERT(t, s != NULL);
	set = excache_set_of(&s->c, 9, 0);
	for (u64 p = 0; n < SIM_WAYS + 1; p++)
		if (excache_set_of(&s->c, 9, p * EXCACHE_LINE) == set)
			va[n++] = p * EXCACHE_LINE;
	for (int i = 0; i < SIM_WAYS; i++)
		KT_ASSERT(t, sim_access(s, 9, va[i], true, &v) == 0);
	for (int i = 0; i < SIM_WAYS; i++)
		s->accessed[s->c.lines[set * SIM_WAYS + i].frame] = false;
	sim_access(s, 9, va[0], false, &v); /* only va[0] used since */
	KT_ASSERT(t, sim_access(s, 9, va[SIM_WAYS], true, &v) == 0);
	KT_EXPECT(t, sim_lookup(s, 9, va[0]) >= 0);
	KT_EXPECT(t, sim_lookup(s, 9, va[1]) < 0);
	sim_free(s);
}

KTEST(excache, soft_hit_and_drop_space)
{
	struct sim *s = sim_new("fifo");
	struct excache_line *l;
	u8 v = 9;

	KT_ASSERT(t, s != NULL);
	KT_ASSERT(t, sim_access(s, 1, 0x5000, true, &v) == 0);
	KT_ASSERT(t, sim_access(s, 2, 0x5000, true, &v) == 0);
	/* a second fault on a cached line (another thread raced us) */
	KT_EXPECT_EQ(t, excache_get_way(&s->c, 1, 0x5000, &l, NULL), 1);
	KT_EXPECT_EQ(t, s->c.stats.soft_hits, 1);
	KT_EXPECT_EQ(t, excache_lines_of(&s->c, 1), 1);
	excache_drop_space(&s->c, 1);
	KT_EXPECT_EQ(t, excache_lines_of(&s->c, 1), 0);
	KT_EXPECT_EQ(t, excache_lines_of(&s->c, 2), 1);
	KT_EXPECT(t, sim_lookup(s, 1, 0x5000) < 0);
	KT_EXPECT_EQ(t, s->c.stats.writebacks, 0); /* dropped, not written */
	sim_free(s);
}

KTEST(excache, failed_writeback_changes_nothing)
{
	struct sim *s = sim_new("fifo");
	struct excache_line *l;
	u64 filled = 0;
	u8 v = 1;

	KT_ASSERT(t, s != NULL);
	for (u64 p = 0; filled < SIM_FRAMES; p++, filled++)
		KT_ASSERT(t, sim_access(s, 3, p * EXCACHE_LINE, true, &v) == 0);
	s->fail_writeback = true;
	KT_EXPECT_EQ(t, excache_get_way(&s->c, 3, 0x7000000, &l, NULL), -EIO);
	KT_EXPECT_EQ(t, excache_lines_of(&s->c, 3), SIM_FRAMES);
	KT_EXPECT_EQ(t, s->c.stats.evictions, 0);
	s->fail_writeback = false;
	for (u32 i = 0; i < SIM_FRAMES; i++) /* the victim is writable again */
		KT_EXPECT(t, s->writable[i] && s->dirty[i]);
	KT_EXPECT_EQ(t, excache_flush_space(&s->c, 3), 0);
	KT_EXPECT_EQ(t, s->nremote, SIM_FRAMES);
	for (u32 i = 0; i < SIM_FRAMES; i++) /* still cached, writable, clean */
		KT_EXPECT(t, s->present[i] && s->writable[i] && !s->dirty[i]);
	KT_EXPECT_EQ(t, excache_lines_of(&s->c, 3), SIM_FRAMES);
	s->c.stats.writebacks = 0;
	KT_EXPECT_EQ(t, excache_flush_space(&s->c, 3), 0); /* nothing dirty now */
	KT_EXPECT_EQ(t, s->c.stats.writebacks, 0);
	sim_free(s);
}

/* Four lines of space 4 that share a set, and a fifth for the same set. */
static void sim_same_set(struct sim *s, u64 space, u64 *va, int n)
{
	u32 set = excache_set_of(&s->c, space, 0);
	int found = 0;

	for (u64 p = 0; found < n; p++)
		if (excache_set_of(&s->c, space, p * EXCACHE_LINE) == set)
			va[found++] = p * EXCACHE_LINE;
}

KTEST(excache, write_during_victim_writeback_is_not_lost)
{
	struct sim *s = sim_new("fifo");
	struct excache_line *l;
	u64 va[SIM_WAYS + 1];
	u8 v = 1;

	KT_ASSERT(t, s != NULL);
	sim_same_set(s, 4, va, SIM_WAYS + 1);
	for (int i = 0; i < SIM_WAYS; i++)
		KT_ASSERT(t, sim_access(s, 4, va[i], true, &v) == 0);
	/* va[0] is the FIFO victim; its process writes 0x5a while the
	 * write-back of the old contents sleeps */
	s->race_armed = true;
	s->race_space = 4;
	s->race_addr = va[0] + 17;
	s->race_val = 0x5a;
	KT_ASSERT(t, excache_get_way(&s->c, 4, va[SIM_WAYS], &l, NULL) == 0);
	KT_EXPECT(t, s->race_faulted); /* it hit the write protection */
	excache_commit(&s->c, l, true);
	s->present[l->frame] = true;
	s->writable[l->frame] = true;
	v = 0x5a; /* the faulted write goes on once the set lock is free */
	if (s->race_faulted)
		KT_ASSERT(t, sim_access(s, 4, s->race_addr, true, &v) == 0);
	v = 0;
	KT_ASSERT(t, sim_access(s, 4, s->race_addr, false, &v) == 0);
	KT_EXPECT_EQ(t, v, 0x5a);
	KT_EXPECT_EQ(t, s->unprotected_writebacks, 0);
	sim_free(s);
}

KTEST(excache, own_dirty_victim_is_carried_and_a_racing_write_waits)
{
	struct sim *s = sim_new("fifo");
	struct excache_carry cv = { .buf = kmalloc(EXCACHE_LINE) };
	struct excache_line *l;
	u64 va[SIM_WAYS + 1];
	u8 v;

	KT_ASSERT(t, s != NULL && cv.buf != NULL);
	sim_same_set(s, 4, va, SIM_WAYS + 1);
	for (int i = 0; i < SIM_WAYS; i++) {
		v = (u8)(0x10 + i);
		KT_ASSERT(t, sim_access(s, 4, va[i] + 5, true, &v) == 0);
	}
	/* va[0], the FIFO victim, is dirty and space 4's own: it is carried,
	 * and its process's write between protect and unmap faults */
	s->race_armed = true;
	s->race_space = 4;
	s->race_addr = va[0] + 17;
	s->race_val = 0x5a;
	KT_ASSERT(t, excache_get_way(&s->c, 4, va[SIM_WAYS], &l, &cv) == 0);
	KT_EXPECT(t, cv.taken && cv.vaddr == va[0]);
	KT_EXPECT_EQ(t, ((u8 *)cv.buf)[5], 0x10);
	KT_EXPECT(t, s->race_faulted);
	KT_EXPECT(t, sim_lookup(s, 4, va[0]) < 0);
	KT_EXPECT_EQ(t, s->c.stats.writebacks, 0);
	KT_EXPECT_EQ(t, s->c.stats.carried, 1);
	/* the caller stores the victim with its fetch, then commits */
	memcpy(sim_remote(s, sim_key(4, va[0]), true), cv.buf, EXCACHE_LINE);
	memset(s->frames[l->frame], 0, EXCACHE_LINE);
	s->present[l->frame] = s->writable[l->frame] = true;
	excache_commit(&s->c, l, true);
	v = 0x5a; /* the faulted write goes on once the set lock is free */
	KT_ASSERT(t, sim_access(s, 4, s->race_addr, true, &v) == 0);
	KT_ASSERT(t, sim_access(s, 4, va[0] + 5, false, &v) == 0);
	KT_EXPECT_EQ(t, v, 0x10);
	KT_ASSERT(t, sim_access(s, 4, s->race_addr, false, &v) == 0);
	KT_EXPECT_EQ(t, v, 0x5a);
	kfree(cv.buf);
	sim_free(s);
}

KTEST(excache, other_space_dirty_victim_is_written_back)
{
	struct sim *s = sim_new("fifo");
	struct excache_carry cv = { .buf = kmalloc(EXCACHE_LINE) };
	struct excache_line *l;
	u64 va[SIM_WAYS];
	u64 other = 0;
	u8 v = 7;

	KT_ASSERT(t, s != NULL && cv.buf != NULL);
	sim_same_set(s, 4, va, SIM_WAYS);
	for (int i = 0; i < SIM_WAYS; i++)
		KT_ASSERT(t, sim_access(s, 4, va[i], true, &v) == 0);
	while (excache_set_of(&s->c, 6, other) != excache_set_of(&s->c, 4, va[0]))
		other += EXCACHE_LINE;
	KT_ASSERT(t, excache_get_way(&s->c, 6, other, &l, &cv) == 0);
	KT_EXPECT(t, !cv.taken);
	KT_EXPECT_EQ(t, s->c.stats.writebacks, 1);
	KT_EXPECT_EQ(t, s->c.stats.carried, 0);
	excache_abort(&s->c, l);
	kfree(cv.buf);
	sim_free(s);
}

KTEST(excache, bad_geometry_rejected)
{
	struct excache c;
	u8 meta[64];

	KT_EXPECT_EQ(t, excache_init(&c, 8, 0, meta, excache_policy_find("fifo"), &sim_hooks), -EINVAL);
	KT_EXPECT_EQ(t, excache_init(&c, 2, 4, meta, excache_policy_find("fifo"), &sim_hooks), -EINVAL);
	KT_EXPECT(t, excache_policy_find("lru-exact") == NULL);
}

KTEST(excache, capped_space_stays_within_its_sets)
{
	struct sim *s = sim_new("clock");
	u8 v = 1;

	KT_ASSERT(t, s != NULL);
	KT_EXPECT_EQ(t, excache_limit_space(&s->c, 7, 2 * SIM_WAYS * EXCACHE_LINE), 0);
	KT_EXPECT_EQ(t, excache_space_bytes(&s->c, 7), 2 * SIM_WAYS * EXCACHE_LINE);
	for (u64 p = 0; p < 4 * SIM_FRAMES; p++)
		KT_ASSERT(t, sim_access(s, 7, p * EXCACHE_LINE, true, &v) == 0);
	KT_EXPECT_EQ(t, excache_lines_of(&s->c, 7), 2 * SIM_WAYS); /* two sets only */
	for (u64 p = 0; p < 4 * SIM_FRAMES; p++)
		KT_EXPECT(t, excache_set_of(&s->c, 7, p * EXCACHE_LINE) < 2);
	/* a cap at or above the whole cache is no cap; tiny caps get one set */
	KT_EXPECT_EQ(t, excache_limit_space(&s->c, 8, 1), 0);
	KT_EXPECT_EQ(t, excache_space_bytes(&s->c, 8), SIM_WAYS * EXCACHE_LINE);
	KT_EXPECT_EQ(t, excache_limit_space(&s->c, 8, 1ull << 40), 0);
	KT_EXPECT_EQ(t, excache_space_bytes(&s->c, 8), (u64)SIM_FRAMES * EXCACHE_LINE);
	excache_drop_space(&s->c, 7);
	excache_unlimit_space(&s->c, 7);
	KT_EXPECT_EQ(t, excache_space_bytes(&s->c, 7), (u64)SIM_FRAMES * EXCACHE_LINE);
	sim_free(s);
}
