/*
 * Cluster membership, the monitor's side: with gpm=, gmm= and/or gsm=
 * boot arguments (the managers' addresses), one thread per manager
 * connects over the RPC endpoint that ip= brought up, registers (role,
 * resources, address, a random boot nonce, the cluster key mgr_key=) and
 * then heartbeats at the period the manager asked for. A heartbeat
 * answered -ENOENT (the manager restarted, or declared us dead) leads to
 * registering again at once; a failed call drops the connection and the
 * thread connects again. Once every named manager has accepted the
 * first registration the console says "TESSERA REGISTERED name=.. id=..".
 * Calls go over the monitor's shared connection to each manager
 * (tessera/cluster/peer.h), which is made again after a failure.
 *
 * A CLUSTER_INITCALL: the endpoint is up (or never will be) when it runs.
 *
 * Locking: each struct member_mgr belongs to its thread; member_first
 * counts first registrations with atomic adds.
 */
#include <tessera/blk.h>
#include <tessera/bootargs.h>
#include <tessera/cluster/netboot.h>
#include <tessera/cluster/peer.h>
#include <tessera/errno.h>
#include <tessera/net/plat.h>
#include <tessera/net/rpc.h>
#include <tessera/pmm.h>
#include <tessera/printk.h>
#include <tessera/role.h>
#include <tessera/string.h>
#include <tessera/thread.h>
#include <tessera/time.h>
#include <tessera/wire/mgr.h>

BOOTARG_KNOWN(gpm, "the GPM's IPv4 address: register and heartbeat with it");
BOOTARG_KNOWN(gmm, "the GMM's IPv4 address: register and heartbeat with it");
BOOTARG_KNOWN(gsm, "the GSM's IPv4 address: register and heartbeat with it");
BOOTARG_KNOWN(mgr_key, "cluster key presented to the managers (default 0)");

#define MEMBER_CALL_NS NSEC_PER_SEC
#define MEMBER_RETRY_NS (200ull * NSEC_PER_MSEC)

struct member_mgr {
	const char *what; /* "gpm", "gmm" or "gsm" */
	u32 ip;
	bool registered, ever;
	u32 id, heartbeat_ms;
	u64 seq;
};

static struct member_mgr member_mgrs[3];
static int member_count, member_first;
static u64 member_nonce, member_key;
static u16 member_role;

static void member_resources(struct c2g_register_msg *m)
{
	struct blkdev *disk = blk_count() > 0 ? blk_get(0) : NULL;

	m->cores = (u32)sched_ncpus();
	m->ram_bytes = kernel_pmm.nr_pages * PAGE_SIZE;
	m->ram_free = kernel_pmm.free_pages * PAGE_SIZE;
	m->disk_bytes = disk ? blk_capacity(disk) * BLK_SECTOR_SIZE : 0;
}

static void member_fill(struct c2g_register_msg *m)
{
	const char *name = bootarg_str("name", role_get()->name);

	memset(m, 0, sizeof(*m));
	m->version = MGR_VERSION;
	m->role = member_role;
	m->key = member_key;
	m->nonce = member_nonce;
	str_copy(m->name, name, MGR_NAME_MAX);
	member_resources(m);
}

/* Register again; say so if it had been registered. */
static void member_drop(struct member_mgr *mm, int err)
{
	if (mm->registered)
		pr_warn("member: lost %s (%d), connecting again\n", mm->what,
			err);
	mm->registered = false;
}

static void member_announce(struct member_mgr *mm)
{
	if (mm->ever)
		return;
	mm->ever = true;
	if (__atomic_add_fetch(&member_first, 1, __ATOMIC_ACQ_REL) ==
	    member_count)
		console_printf("TESSERA REGISTERED name=%s id=%u\n",
			       bootarg_str("name", role_get()->name),
			       member_mgrs[0].id);
}

static int member_register(struct member_mgr *mm)
{
	struct c2g_register_msg m;
	struct c2g_register_reply rep;
	int err;

	member_fill(&m);
	err = peer_call(mm->ip, C2G_REGISTER, &m, sizeof(m), &rep, sizeof(rep),
			MEMBER_CALL_NS);
	if (err >= 0 && (err != sizeof(rep) || rep.version != MGR_VERSION))
		err = -EPROTO;
	if (err < 0)
		return err;
	mm->id = rep.id;
	mm->heartbeat_ms = rep.heartbeat_ms ? rep.heartbeat_ms : 1000;
	mm->registered = true;
	pr_info("member: registered with %s id=%u inc=%u heartbeat_ms=%u\n",
		mm->what, rep.id, rep.incarnation, mm->heartbeat_ms);
	member_announce(mm);
	return 0;
}

static int member_heartbeat(struct member_mgr *mm)
{
	struct c2g_heartbeat_msg h = {
		.version = MGR_VERSION, .id = mm->id, .nonce = member_nonce,
		.seq = ++mm->seq,
		.ram_free = kernel_pmm.free_pages * PAGE_SIZE,
	};
	struct c2g_heartbeat_reply rep;
	int err = peer_call(mm->ip, C2G_HEARTBEAT, &h, sizeof(h), &rep,
			    sizeof(rep), MEMBER_CALL_NS);

	if (err >= 0 && (err != sizeof(rep) || rep.seq != h.seq))
		err = -EPROTO;
	return err < 0 ? err : 0;
}

static void member_main(void *arg)
{
	struct member_mgr *mm = arg;
	int err;

	for (;;) {
		if (!mm->registered) {
			err = member_register(mm);
			if (err) {
				member_drop(mm, err);
				thread_sleep_ns(MEMBER_RETRY_NS);
				continue;
			}
		}
		thread_sleep_ns(mm->heartbeat_ms * NSEC_PER_MSEC);
		err = member_heartbeat(mm);
		if (err == -ENOENT)
			mm->registered = false;
		else if (err)
			member_drop(mm, err);
	}
}

static u16 member_role_id(const char *name)
{
#define ROLE_ID(id, val, str) if (!strcmp(name, str)) return val;
	MGR_ROLES(ROLE_ID)
#undef ROLE_ID
	return 0;
}

static int member_add(const char *what)
{
	const char *s = bootarg_str(what, NULL);
	struct member_mgr *mm = &member_mgrs[member_count];
	const char *end;

	if (!s)
		return 0;
	if (inet_parse(s, &mm->ip, &end) || *end) {
		pr_err("member: bad %s=%s\n", what, s);
		return -EINVAL;
	}
	mm->what = what;
	member_count++;
	return 0;
}

static int member_init(void)
{
	static const char *const managers[] = { "gpm", "gmm", "gsm" };
	int err = 0;

	for (size_t i = 0; i < ARRAY_SIZE(managers) && !err; i++)
		err = member_add(managers[i]);
	if (err || !member_count)
		return err;
	if (!net_rpc_ep()) {
		pr_err("member: no RPC endpoint (ip= missing?), not registering\n");
		return -ENETDOWN;
	}
	member_role = member_role_id(role_get()->name);
	member_nonce = (u64)netplat_random() << 32 | netplat_random();
	member_key = bootarg_u64("mgr_key", 0);
	for (int i = 0; i < member_count && !err; i++)
		err = thread_spawn(member_main, &member_mgrs[i], "member");
	return err;
}
CLUSTER_INITCALL(member_init);
