/* The pMonitor role: for now it announces itself; threads, syscalls and the
 * ExCache arrive with later work. */
#include <tessera/bootargs.h>
#include <tessera/printk.h>
#include <tessera/role.h>

static int processor_start(void)
{
	console_printf("TESSERA READY name=%s role=processor\n",
		       bootarg_str("name", "processor"));
	return 0;
}

static const struct role_ops processor_role = { "processor", processor_start };
ROLE_REGISTER(processor_role);
