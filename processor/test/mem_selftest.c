/*
 * The memory path end to end, from the pMonitor: with pmem_selftest=<ip>
 * a thread builds a pMonitor instance of its own (ExCache of excache=
 * bytes, default 1 MiB) whose memory backend is the RPC client
 * (processor/backend/mem_rpc.h) with the mMonitor at ip as every process's home, and the
 * test programs embedded in the image as its files. It runs memtest over
 * pmem_selftest_mib MiB (default 4: four times the default cache) and
 * prints the program's output and one line of counters:
 *   PMEM SELFTEST status=0 misses=.. fetches=.. evictions=.. writebacks=..
 *   carried=.. (of the write-backs, those that rode on a fetch)
 * so a scenario can check that lines went to the mMonitor and came back.
 *
 * The instance is private to the thread; it waits (up to a minute) for
 * the network and for the mMonitor to answer before it starts.
 */
#include <tessera/bootargs.h>
#include <tessera/cluster/netboot.h>
#include <tessera/cluster/peer.h>
#include <tessera/errno.h>
#include <tessera/fmt.h>
#include <tessera/kmalloc.h>
#include <tessera/net/rpc.h>
#include <tessera/printk.h>
#include <tessera/role.h>
#include <tessera/thread.h>
#include <tessera/time.h>

#include "processor/backend/mem_rpc.h"
#include "processor/proc/proc.h"
#include "processor/test/test_backends.h"

BOOTARG_KNOWN(pmem_selftest, "run memtest with the mMonitor at this IPv4 address as home");
BOOTARG_KNOWN(pmem_selftest_mib, "memtest's working set for pmem_selftest= (MiB, default 4)");

#define PMEM_SELFTEST_WAIT_NS (60ull * NSEC_PER_SEC)
#define PMEM_SELFTEST_PROBE_NS NSEC_PER_SEC

/* Wait until the mMonitor at ip serves the memory protocol: a query for
 * an unknown process gets an answer other than "no such opcode". */
static int pmem_selftest_wait_home(u32 ip)
{
	struct p2m_vregion_msg q = { .pid = 0 };
	struct p2m_vregion_reply r;
	u64 until = time_ns() + PMEM_SELFTEST_WAIT_NS;
	int err;

	do {
		err = peer_call(ip, P2M_VREGION, &q, sizeof(q), &r, sizeof(r),
				PMEM_SELFTEST_PROBE_NS);
		if (err == -ENETDOWN || err == -EOPNOTSUPP || err == -ETIMEDOUT ||
		    err == -ECONNRESET || err == -ECONNREFUSED)
			thread_sleep_ns(100 * NSEC_PER_MSEC);
		else
			err = 0;
	} while (err && time_ns() < until);
	return err;
}

static int pmem_selftest_mon(struct pmon *mon, u32 home)
{
	struct pmon_config cfg = {
		.cache_bytes = bootarg_u64("excache", MiB), .ways = 8, .policy = "clock",
	};
	int err = pmem_rpc_create(net_self_ip(), home, &cfg.mem);

	if (err)
		return err;
	err = ptest_files_create(ptest_progs_start, (u64)(ptest_progs_end - ptest_progs_start),
				 &cfg.files);
	if (!err)
		err = pmon_init(mon, &cfg);
	if (err) {
		pmem_rpc_destroy(&cfg.mem);
		return err;
	}
	pproc_install_user_ops();
	return 0;
}

static void pmem_selftest_report(struct pproc *p, int status)
{
	console_printf("PMEM SELFTEST status=%d misses=%lu zero-fills=%lu fetches=%lu "
		       "evictions=%lu writebacks=%lu carried=%lu\n", status, p->stats.misses,
		       p->stats.zero_fills, p->stats.fetches, p->stats.evictions,
		       p->stats.writebacks, p->stats.carried);
}

static int pmem_selftest_run(struct pmon *mon)
{
	char mib[24];
	const char *argv[] = { "memtest", mib };
	struct pproc_spawn a = { .path = "/memtest", .argv = argv, .argc = 2 };
	struct pproc *p;
	int err;

	fmt_snprintf(mib, sizeof(mib), "%lu", bootarg_u64("pmem_selftest_mib", 4));
	err = pproc_spawn(mon, &a, &p);
	if (err)
		return err;
	pmem_selftest_report(p, pproc_wait(p));
	pproc_free(p);
	return 0;
}

static void pmem_selftest_main(void *arg)
{
	u32 home = (u32)(u64)arg;
	struct pmon *mon = kzalloc(sizeof(*mon));
	int err = mon ? pmem_selftest_wait_home(home) : -ENOMEM;

	if (!err)
		err = pmem_selftest_mon(mon, home);
	if (!err) {
		err = pmem_selftest_run(mon);
		ptest_files_destroy(&mon->files);
		pmem_rpc_destroy(&mon->mem);
		pmon_destroy(mon);
	}
	if (err)
		console_printf("PMEM SELFTEST status=%d (not run)\n", err);
	kfree(mon);
}

static int pmem_selftest_init(void)
{
	const char *s = bootarg_str("pmem_selftest", NULL);
	u32 ip;

	if (!s)
		return 0;
	if (inet_parse(s, &ip, NULL)) {
		pr_err("pmem: bad pmem_selftest=%s\n", s);
		return -EINVAL;
	}
	return thread_spawn(pmem_selftest_main, (void *)(u64)ip, "pmem-selftest");
}
SERVICE_INITCALL(pmem_selftest_init);
