/*
 * The sMonitor role: at start it mounts the ext2/ext3 volume on vda
 * (replaying its journal if it needs it) and, once the network is up
 * (ip=), serves it over RPC with the file protocol, then announces
 * itself. Without a disk, or with a volume it cannot read, it says why
 * and serves no files; a volume it may not write is served read-only.
 *
 * storage_volume is written here before the handlers are registered;
 * afterwards its lock guards it (sfs.h).
 */
#include <tessera/blk.h>
#include <tessera/bootargs.h>
#include <tessera/cluster/netboot.h>
#include <tessera/errno.h>
#include <tessera/printk.h>
#include <tessera/role.h>
#include <tessera/thread.h>
#include <tessera/time.h>

#include "storage/sfs.h"

#define STORAGE_EP_WAIT_NS (10ull * NSEC_PER_SEC)

static struct sfs_volume storage_volume;

static int storage_mount(void)
{
	struct fs_info info;
	int err = sfs_mount(&storage_volume, 0);

	if (err == -ENODEV) {
		pr_warn("storage: no disk, serving no files\n");
		return err;
	}
	if (err) {
		pr_err("storage: cannot mount %s: %s (%d), serving no files\n",
		       storage_volume.disk->name,
		       storage_volume.why ? storage_volume.why : "no memory", err);
		return err;
	}
	fs_info(storage_volume.fs, &info);
	pr_info("storage: mounted %s %lu MiB (%lu-byte blocks) from %s%s%s, "
		"%u transactions replayed\n", info.journal ? "ext3" : "ext2",
		(u64)(info.blocks * info.block_size / MiB), info.block_size,
		storage_volume.disk->name, info.read_only ? ", read-only: " : "",
		info.read_only ? info.ro_reason : "", info.replayed);
	return 0;
}

/* The RPC endpoint; the network may still be coming up. */
static struct rpc_ep *storage_wait_ep(void)
{
	u64 until = time_ns() + STORAGE_EP_WAIT_NS;
	struct rpc_ep *ep;

	while (!(ep = net_rpc_ep()) && bootarg_str("ip", NULL) &&
	       time_ns() < until)
		thread_sleep_ns(10 * NSEC_PER_MSEC);
	return ep;
}

static void storage_serve(void)
{
	struct rpc_ep *ep = storage_wait_ep();
	int err;

	if (!ep) {
		pr_warn("storage: no RPC endpoint (ip= missing?), serving no files\n");
		return;
	}
	err = sfs_serve(&storage_volume, ep);
	if (err)
		pr_err("storage: cannot register the file service: %d\n", err);
	else
		pr_info("storage: serving files over RPC\n");
}

static int storage_start(void)
{
	if (!storage_mount())
		storage_serve();
	console_printf("TESSERA READY name=%s role=storage\n",
		       bootarg_str("name", "storage"));
	return 0;
}

static const struct role_ops storage_role = { "storage", storage_start };
ROLE_REGISTER(storage_role);
