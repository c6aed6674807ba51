/* The mMonitor role: for now it announces itself; vRegions, VMAs and the
 * page store arrive with later work. */
#include <tessera/bootargs.h>
#include <tessera/printk.h>
#include <tessera/role.h>

static int memory_start(void)
{
	console_printf("TESSERA READY name=%s role=memory\n",
		       bootarg_str("name", "memory"));
	return 0;
}

static const struct role_ops memory_role = { "memory", memory_start };
ROLE_REGISTER(memory_role);
