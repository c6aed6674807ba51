/*
 * The mMonitor role: with ip= it serves the memory protocol on the boot
 * RPC endpoint (mmon.h), asking the GMM named by gmm= for vRegion
 * owners; without gmm= it owns every vRegion of the processes it homes.
 * Then it announces itself. mmon_self is written once here.
 */
#include <tessera/bootargs.h>
#include <tessera/cluster/netboot.h>
#include <tessera/net/rpc.h>
#include <tessera/printk.h>
#include <tessera/role.h>

#include "memory/mmon.h"

static struct mmon mmon_self;

/* The IPv4 address in boot argument key, 0 if absent or malformed. */
static u32 memory_arg_ip(const char *key)
{
	const char *s = bootarg_str(key, NULL);
	u32 ip;

	if (!s || inet_parse(s, &ip, NULL))
		return 0;
	return ip;
}

static int memory_serve(void)
{
	struct rpc_ep *ep = net_rpc_ep();
	u32 self = memory_arg_ip("ip"), gmm = memory_arg_ip("gmm");
	int err;

	if (!ep || !self) {
		pr_info("memory: no network, memory protocol not served\n");
		return 0;
	}
	if (!gmm)
		pr_info("memory: no gmm=, this node owns every vRegion it homes\n");
	err = mmon_start(&mmon_self, ep, self, gmm);
	if (err)
		pr_err("memory: cannot serve the memory protocol: %d\n", err);
	else
		pr_info("memory: serving the memory protocol\n");
	return err;
}

static int memory_start(void)
{
	int err = memory_serve();

	if (err)
		return err;
	console_printf("TESSERA READY name=%s role=memory\n",
		       bootarg_str("name", "memory"));
	return 0;
}

static const struct role_ops memory_role = { "memory", memory_start };
ROLE_REGISTER(memory_role);
