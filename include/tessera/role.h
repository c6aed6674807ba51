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
/* Run fn at boot after the scheduler starts. Two levels: INITCALL for
 * buses and devices (in link order: configs list folders in dependency
 * order), SERVICE_INITCALL for what uses devices (network stacks, the echo
 * responder); every INITCALL runs before any SERVICE_INITCALL. A failing
 * initcall is reported, not fatal. */
#define INITCALL_AT(fn, level)                                              \
	static const initcall_fn initcall_##fn                              \
		__attribute__((section("initcalls." #level), used)) = fn
#define INITCALL(fn) INITCALL_AT(fn, 1)
#define SERVICE_INITCALL(fn) INITCALL_AT(fn, 2)

#endif
