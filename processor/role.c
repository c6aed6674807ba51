/*
 * The pMonitor role: at start it takes the ExCache's frames from the page
 * allocator (boot arguments excache=, excache_ways=, excache_policy=),
 * routes user traps to the process code, and announces itself. A thread
 * waits for the RPC endpoint and then serves GPM's launches (processor/launch/launch.c).
 * The memory backend is the RPC client of the mMonitors (each process's
 * home is set per launch); each launch has a file backend of its own.
 *
 * processor_pmon is written once here, before any process exists.
 */
#include <tessera/bootargs.h>
#include <tessera/cluster/netboot.h>
#include <tessera/errno.h>
#include <tessera/net/rpc.h>
#include <tessera/printk.h>
#include <tessera/role.h>
#include <tessera/thread.h>
#include <tessera/time.h>

#include "processor/backend/mem_rpc.h"
#include "processor/launch/launch.h"
#include "processor/proc/proc.h"

#define PROCESSOR_EP_WAIT_NS (30ull * NSEC_PER_SEC)

BOOTARG_KNOWN(excache, "ExCache size (default 16M)");
BOOTARG_KNOWN(excache_ways, "ExCache associativity (default 8)");
BOOTARG_KNOWN(excache_policy, "ExCache eviction policy: clock (default) or fifo");

static struct pmon processor_pmon;

/* Serve launches once the network is up (ip= brings it up after us). */
static void processor_serve_main(void *arg)
{
	u64 until = time_ns() + PROCESSOR_EP_WAIT_NS;
	struct rpc_ep *ep;
	int err;

	while (!(ep = net_rpc_ep()) && time_ns() < until)
		thread_sleep_ns(10 * NSEC_PER_MSEC);
	err = ep ? plaunch_serve(&processor_pmon, ep) : -ENETDOWN;
	if (err)
		pr_err("processor: not serving launches: %d\n", err);
}

static int processor_start(void)
{
	struct pmon_config cfg = {
		.cache_bytes = bootarg_u64("excache", 16 * MiB),
		.ways = (u32)bootarg_u64("excache_ways", 8),
		.policy = bootarg_str("excache_policy", "clock"),
	};
	const char *gmm = bootarg_str("gmm", NULL);
	u32 gmm_ip = 0;
	int err = pmem_rpc_create(net_self_ip(), 0, &cfg.mem);

	if (!err && gmm && !inet_parse(gmm, &gmm_ip, NULL))
		pmem_rpc_set_gmm(&cfg.mem, gmm_ip);
	if (!err)
		err = pmon_init(&processor_pmon, &cfg);
	if (err) {
		pr_err("processor: cannot set up a %lu-byte %u-way %s ExCache: %d\n",
		       cfg.cache_bytes, cfg.ways, cfg.policy, err);
		return err;
	}
	pproc_install_user_ops();
	err = thread_spawn(processor_serve_main, NULL, "launch-serve");
	if (err)
		return err;
	pr_info("processor: ExCache %lu KiB, %u sets of %u ways, %s eviction\n",
		(u64)processor_pmon.nframes * 4, processor_pmon.cache.nsets,
		processor_pmon.cache.ways, processor_pmon.cache.policy->name);
	console_printf("TESSERA READY name=%s role=processor\n",
		       bootarg_str("name", "processor"));
	return 0;
}

static const struct role_ops processor_role = { "processor", processor_start };
ROLE_REGISTER(processor_role);
