/*
 * The pMonitor role: at start it takes the ExCache's frames from the page
 * allocator (boot arguments excache=, excache_ways=, excache_policy=),
 * routes user traps to the process code, and announces itself. The
 * memory and file backends are attached when the RPC clients to the
 * mMonitor and sMonitor are; until then no process can be spawned.
 *
 * processor_pmon is written once here, before any process exists.
 */
#include <tessera/bootargs.h>
#include <tessera/printk.h>
#include <tessera/role.h>

#include "processor/pproc.h"

BOOTARG_KNOWN(excache, "ExCache size (default 16M)");
BOOTARG_KNOWN(excache_ways, "ExCache associativity (default 8)");
BOOTARG_KNOWN(excache_policy, "ExCache eviction policy: clock (default) or fifo");

static struct pmon processor_pmon;

static int processor_start(void)
{
	struct pmon_config cfg = {
		.cache_bytes = bootarg_u64("excache", 16 * MiB),
		.ways = (u32)bootarg_u64("excache_ways", 8),
		.policy = bootarg_str("excache_policy", "clock"),
	};
	int err = pmon_init(&processor_pmon, &cfg);

	if (err) {
		pr_err("processor: cannot set up a %lu-byte %u-way %s ExCache: %d\n",
		       cfg.cache_bytes, cfg.ways, cfg.policy, err);
		return err;
	}
	pproc_install_user_ops();
	pr_info("processor: ExCache %lu KiB, %u sets of %u ways, %s eviction\n",
		(u64)processor_pmon.nframes * 4, processor_pmon.cache.nsets,
		processor_pmon.cache.ways, processor_pmon.cache.policy->name);
	console_printf("TESSERA READY name=%s role=processor\n",
		       bootarg_str("name", "processor"));
	return 0;
}

static const struct role_ops processor_role = { "processor", processor_start };
ROLE_REGISTER(processor_role);
