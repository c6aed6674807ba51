/*
 * A monitor image plays exactly one role (processor, memory, storage). The
 * role's folder registers its ops table with ROLE_REGISTER; the kernel finds
 * it through the "roles" linker section, so shared code never names a role.
 * Subsystems that must start before the role use INITCALL.
 */
#ifndef TESSERA_ROLE_H
#define TESSERA_ROLE_H

#include <tessera/types.h>

struct role_ops {
	const char *name;
	/* Runs in the boot thread once the kernel and drivers are up; returns
	 * when the role's own threads are started (or on failure). */
	int (*start)(void);
};

#define ROLE_REGISTER(ops)                                                  \
	static const struct role_ops *const role_entry_##ops                \
		__attribute__((section("roles"), used)) = &(ops)

const struct role_ops *role_get(void);

typedef int (*initcall_fn)(void);
/* Run fn at boot after the scheduler starts, level by level, each level in
 * link order (configs list folders in dependency order):
 *   INITCALL          buses and devices (kernel/drivers)
 *   SERVICE_INITCALL  what uses devices: the network endpoint
 *                     (cluster/net_boot.c), the frame echo responder
 *   CLUSTER_INITCALL  what uses the endpoint: membership, diagnostic
 *                     clients
 *   LAST_INITCALL     after everything (the test images' test runner)
 * Every initcall of a level runs before any of the next. A failing
 * initcall is reported, not fatal. */
#define INITCALL_AT(fn, level)                                              \
	static const initcall_fn initcall_##fn                              \
		__attribute__((section("initcalls." #level), used)) = fn
#define INITCALL(fn) INITCALL_AT(fn, 1)
#define SERVICE_INITCALL(fn) INITCALL_AT(fn, 2)
#define CLUSTER_INITCALL(fn) INITCALL_AT(fn, 3)
#define LAST_INITCALL(fn) INITCALL_AT(fn, 9)

#endif
