/*
 * Host tests of membership: registration, heartbeats, death and coming
 * back, and garbage (wrong version, truncated, unknown role, bad name,
 * wrong key, random bytes) rejected and counted without harm.
 */
#include <errno.h>
#include <string.h>

#include <tessera/ktest.h>

#include "managers/mgr.h"

#define MS 1000000ull
#define KEY 0x5eedull

static struct mgr_registry reg;

static struct c2g_register_msg reg_msg(const char *name, u16 role, u64 nonce)
{
	struct c2g_register_msg m = { .version = MGR_VERSION, .role = role,
				      .ip = 0x0a4d0001, .key = KEY,
				      .nonce = nonce, .cores = 1,
				      .ram_bytes = 256 << 20 };

	strcpy(m.name, name);
	return m;
}

static int do_reg(struct c2g_register_msg *m, struct c2g_register_reply *rep,
		  u64 now)
{
	return mgr_register(&reg, m, sizeof(*m), m->ip, rep, now);
}

static int beat(u32 id, u64 nonce, u64 now)
{
	struct c2g_heartbeat_msg h = { .version = MGR_VERSION, .id = id,
				       .nonce = nonce, .seq = 1 };
	struct c2g_heartbeat_reply rep;

	return mgr_heartbeat(&reg, &h, sizeof(h), &rep, now);
}

KTEST(mgr_registry, register_heartbeat_death_return)
{
	struct c2g_register_msg m = reg_msg("m0", MGR_ROLE_MEMORY, 7);
	struct c2g_register_reply rep;

	mgr_registry_init(&reg, "test", KEY, 500, 3000);
	KT_EXPECT_EQ(t, do_reg(&m, &rep, 0), 0);
	KT_EXPECT_EQ(t, rep.id, 1);
	KT_EXPECT_EQ(t, rep.incarnation, 1);
	KT_EXPECT_EQ(t, rep.heartbeat_ms, 500);
	KT_EXPECT_EQ(t, beat(1, 7, 1000 * MS), 0);
	KT_EXPECT_EQ(t, mgr_sweep(&reg, 3900 * MS), 0);
	KT_EXPECT_EQ(t, mgr_sweep(&reg, 4100 * MS), 1);
	KT_EXPECT_EQ(t, reg.comps[0].state, MGR_DEAD);
	/* A dead component's heartbeats are refused: it must register. */
	KT_EXPECT_EQ(t, beat(1, 7, 4200 * MS), -ENOENT);
	m.nonce = 8; /* rebooted */
	KT_EXPECT_EQ(t, do_reg(&m, &rep, 5000 * MS), 0);
	KT_EXPECT_EQ(t, rep.id, 1);
	KT_EXPECT_EQ(t, rep.incarnation, 2);
	KT_EXPECT_EQ(t, reg.comps[0].state, MGR_ALIVE);
	KT_EXPECT_EQ(t, beat(1, 7, 5100 * MS), -ENOENT); /* old boot */
	KT_EXPECT_EQ(t, beat(1, 8, 5100 * MS), 0);
	KT_EXPECT_EQ(t, reg.c.deaths, 1);
}

KTEST(mgr_registry, restarted_manager_answers_enoent)
{
	mgr_registry_init(&reg, "test", KEY, 500, 3000);
	KT_EXPECT_EQ(t, beat(3, 9, 0), -ENOENT);
	KT_EXPECT_EQ(t, reg.c.unknown_id, 1);
}

KTEST(mgr_registry, refuses_and_counts_malformed)
{
	struct c2g_register_msg m = reg_msg("p0", MGR_ROLE_PROCESSOR, 1);
	struct c2g_register_reply rep;

	mgr_registry_init(&reg, "test", KEY, 500, 3000);
	m.version = 2;
	KT_EXPECT_EQ(t, do_reg(&m, &rep, 0), -EPROTO);
	m = reg_msg("p0", 0, 1);
	KT_EXPECT_EQ(t, do_reg(&m, &rep, 0), -EINVAL);
	m = reg_msg("p0", MGR_ROLE_MAX, 1);
	KT_EXPECT_EQ(t, do_reg(&m, &rep, 0), -EINVAL);
	m = reg_msg("p0", MGR_ROLE_PROCESSOR, 1);
	m.key = KEY + 1;
	KT_EXPECT_EQ(t, do_reg(&m, &rep, 0), -EACCES);
	m = reg_msg("p0", MGR_ROLE_PROCESSOR, 1);
	memset(m.name, 'x', sizeof(m.name)); /* no NUL */
	KT_EXPECT_EQ(t, do_reg(&m, &rep, 0), -EINVAL);
	m = reg_msg("p0", MGR_ROLE_PROCESSOR, 1);
	KT_EXPECT_EQ(t, mgr_register(&reg, &m, sizeof(m) - 1, 0, &rep, 0), -EINVAL);
	KT_EXPECT_EQ(t, reg.c.bad_version, 1);
	KT_EXPECT_EQ(t, reg.c.bad_role, 2);
	KT_EXPECT_EQ(t, reg.c.bad_key, 1);
	KT_EXPECT_EQ(t, reg.c.bad_name, 1);
	KT_EXPECT_EQ(t, reg.c.bad_len, 1);
	KT_EXPECT_EQ(t, reg.n, 0);
}

/* Deterministic garbage: nothing registers, nothing crashes. */
KTEST(mgr_registry, garbage_is_rejected)
{
	u8 buf[sizeof(struct c2g_register_msg)];
	struct c2g_register_reply rep;
	struct c2g_heartbeat_reply hrep;
	u64 x = 88172645463325252ull;
	int refused = 0;

	mgr_registry_init(&reg, "test", KEY, 500, 3000);
	for (int round = 0; round < 20000; round++) {
		u32 len = (u32)(x % (sizeof(buf) + 1));

		for (size_t i = 0; i < sizeof(buf); i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			buf[i] = (u8)x;
		}
		refused += mgr_register(&reg, buf, len, 1, &rep, 0) < 0;
		refused += mgr_heartbeat(&reg, buf, len, &hrep, 0) < 0;
	}
	KT_EXPECT_EQ(t, refused, 40000);
	KT_EXPECT_EQ(t, reg.n, 0);
	KT_EXPECT_EQ(t, reg.c.bad_len + reg.c.bad_version + reg.c.bad_key +
				reg.c.bad_role + reg.c.bad_name + reg.c.unknown_id,
		     40000);
}

KTEST(mgr_registry, nodes_table)
{
	struct c2g_register_msg m = reg_msg("s0", MGR_ROLE_STORAGE, 1);
	struct c2g_register_reply rep;
	static struct mgr_out o;

	mgr_registry_init(&reg, "test", KEY, 500, 3000);
	m.disk_bytes = 64ull << 20;
	KT_EXPECT_EQ(t, do_reg(&m, &rep, 0), 0);
	mgr_nodes(&reg, &o, 1500 * MS);
	KT_EXPECT(t, strstr(o.buf, "NAME") == o.buf);
	KT_EXPECT(t, strstr(o.buf, "\ns0       storage   alive   1   1 10.77.0.1"));
	KT_EXPECT(t, strstr(o.buf, "      64    0 1.5s\n"));
}

/* Reasons name components: known addresses become names, anything else
 * (an unknown address, a number, an address inside a word) stays. */
KTEST(mgr_registry, names_in_reasons)
{
	struct c2g_register_msg a = reg_msg("m0", MGR_ROLE_MEMORY, 1);
	struct c2g_register_msg b = reg_msg("m1", MGR_ROLE_MEMORY, 2);
	struct c2g_register_reply rep;
	char out[64];

	mgr_registry_init(&reg, "test", KEY, 500, 3000);
	b.ip = 0x0a4d0002;
	KT_EXPECT_EQ(t, do_reg(&a, &rep, 0), 0);
	KT_EXPECT_EQ(t, do_reg(&b, &rep, 0), 0);
	mgr_names_in(&reg, "memory lost: 10.77.0.1 and 10.77.0.2 failed", out, sizeof(out));
	KT_EXPECT(t, !strcmp(out, "memory lost: m0 and m1 failed"));
	mgr_names_in(&reg, "10.77.0.9 x10.77.0.1 110.77.0.1 -110", out, sizeof(out));
	KT_EXPECT(t, !strcmp(out, "10.77.0.9 x10.77.0.1 110.77.0.1 -110"));
	mgr_names_in(&reg, "10.77.0.2", out, 3);
	KT_EXPECT(t, !strcmp(out, "m1"));
	mgr_names_in(&reg, "at 10.77.0.2", out, 5);
	KT_EXPECT(t, !strcmp(out, "at m"));
}
