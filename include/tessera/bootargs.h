/*
 * Boot arguments: `key=value` words from the kernel command line (a bare
 * `key` means key=1). Every key a subsystem reads is declared with
 * BOOTARG_KNOWN(key, "what it means") beside its use; keys on the command
 * line that nobody declared are reported at boot. Typed accessors accept
 * sizes with K/M/G suffixes and booleans as 0/1/yes/no/on/off/true/false.
 */
#ifndef TESSERA_BOOTARGS_H
#define TESSERA_BOOTARGS_H

#include <tessera/types.h>

#define BOOTARGS_MAX 32
#define BOOTARG_KEY_MAX 32
#define BOOTARG_VAL_MAX 256

struct bootarg {
	char key[BOOTARG_KEY_MAX];
	char val[BOOTARG_VAL_MAX];
};

struct bootargs {
	int n;
	int dropped; /* words that did not fit or were malformed */
	struct bootarg a[BOOTARGS_MAX];
};

struct bootarg_known {
	const char *key;
	const char *help;
};

#define BOOTARG_KNOWN(k, h)                                                 \
	static const struct bootarg_known bootarg_known_##k                 \
		__attribute__((section("bootargs_known"), used, aligned(16))) = { #k, h }

/* Parse cmdline into ba (replacing its contents); later keys win. */
void bootargs_parse(struct bootargs *ba, const char *cmdline);
const char *bootargs_get(const struct bootargs *ba, const char *key);
/* 0, -ENOENT when absent (out untouched), -EINVAL when malformed. */
int bootargs_u64(const struct bootargs *ba, const char *key, u64 *out);
int bootargs_bool(const struct bootargs *ba, const char *key, bool *out);
/* Calls report(key) for each key not declared with BOOTARG_KNOWN; returns
 * how many there were. */
int bootargs_check_known(const struct bootargs *ba, void (*report)(const char *key));

/* The kernel's own, parsed at boot. */
extern struct bootargs boot_args;
const char *bootarg_str(const char *key, const char *def);
u64 bootarg_u64(const char *key, u64 def);
bool bootarg_bool(const char *key, bool def);

#endif
