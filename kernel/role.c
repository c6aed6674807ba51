/* Finds the image's one role; see include/tessera/role.h. */
#include <tessera/printk.h>
#include <tessera/role.h>

extern const struct role_ops *const __start_roles[], *const __stop_roles[];

const struct role_ops *role_get(void)
{
	if (__stop_roles - __start_roles != 1)
		panic("image links %d roles, expected exactly one",
		      (int)(__stop_roles - __start_roles));
	return __start_roles[0];
}
