/* Typed access to the kernel's own boot arguments. A malformed value is
 * reported and the default used. */
#include <tessera/bootargs.h>
#include <tessera/errno.h>
#include <tessera/printk.h>

const char *bootarg_str(const char *key, const char *def)
{
	const char *v = bootargs_get(&boot_args, key);

	return v ? v : def;
}

u64 bootarg_u64(const char *key, u64 def)
{
	u64 v;
	int err = bootargs_u64(&boot_args, key, &v);

	if (err == -EINVAL)
		pr_warn("boot: %s=%s is not a number; using %llu\n", key,
			bootargs_get(&boot_args, key), (unsigned long long)def);
	return err ? def : v;
}

bool bootarg_bool(const char *key, bool def)
{
	bool v;
	int err = bootargs_bool(&boot_args, key, &v);

	if (err == -EINVAL)
		pr_warn("boot: %s=%s is not a boolean; using %d\n", key,
			bootargs_get(&boot_args, key), def);
	return err ? def : v;
}
