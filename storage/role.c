/* The sMonitor role: for now it announces itself; the block layer and the
 * file system arrive with later work. */
#include <tessera/bootargs.h>
#include <tessera/printk.h>
#include <tessera/role.h>

static int storage_start(void)
{
	console_printf("TESSERA READY name=%s role=storage\n",
		       bootarg_str("name", "storage"));
	return 0;
}

static const struct role_ops storage_role = { "storage", storage_start };
ROLE_REGISTER(storage_role);
